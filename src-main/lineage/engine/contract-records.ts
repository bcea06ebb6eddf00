import { canonicalPublicKey } from '../signing/index.js'
import type { BindingRow, FinalMetadata, MetaContractRecord, MetaContractResult, MetadataRecord, SlotRow, TokenChainFacts, TransactionRecord, TransactionRow } from './records.js'

/** Status codes the contract interface uses for a transaction it is judging (the original's). */
const PENDING_STATUS = 0

export function contractRecord (binding: BindingRow): MetaContractRecord {
  return { hash: binding.tx_hash, token_key: binding.token_key, meta_contract_id: binding.meta_contract_id, public_key: binding.public_key, cid: '' }
}

export function metadataRecord (slot: SlotRow): MetadataRecord {
  return {
    hash: slot.last_tx,
    token_key: slot.token_key,
    data_key: slot.data_key,
    meta_contract_id: slot.meta_contract_id,
    token_id: slot.token_id,
    alias: slot.alias,
    cid: slot.head_cid,
    public_key: slot.public_key,
    version: slot.version,
    loose: slot.loose,
  }
}

/**
 * The arguments of a contract's `on_execute(contract, metadatas, transaction)`: the collection's
 * binding, the token's current slots under the contract, and the transaction being judged. The
 * validator and the dry run (validate_metadata) build them the same way.
 */
export function executeArguments (binding: BindingRow, slots: SlotRow[], tx: TransactionRow, facts?: TokenChainFacts): unknown[] {
  return [contractRecord(binding), slots.map(metadataRecord), transactionRecord(tx, facts)]
}

/**
 * The record a contract judges: the original's 15 fields, then the chain facts (token_state,
 * token_owner). The sandbox takes the facts out for a contract built with the original's record
 * (Marine matches a record's fields exactly).
 */
export function transactionRecord (tx: TransactionRow, facts?: TokenChainFacts): TransactionRecord | (TransactionRecord & TokenChainFacts) {
  const record: TransactionRecord = {
    hash: tx.hash,
    method: tx.method,
    meta_contract_id: tx.meta_contract_id,
    data_key: tx.data_key,
    token_key: tx.token_key,
    data: tx.data,
    public_key: tx.public_key,
    alias: tx.alias,
    timestamp: tx.timestamp,
    chain_id: tx.chain_id,
    token_address: tx.token_address,
    token_id: tx.token_id,
    version: tx.version,
    status: PENDING_STATUS,
    mcdata: tx.mcdata,
  }
  return facts === undefined ? record : { ...record, token_state: facts.token_state, token_owner: facts.token_owner }
}

const isString = (v: unknown): v is string => typeof v === 'string'

/**
 * Checks what a contract answered. A contract is untrusted code: its answer is data to be
 * checked like any other input, and a malformed one rejects the transaction.
 */
export function readContractResult (value: unknown): MetaContractResult | string {
  if (typeof value !== 'object' || value === null) return 'the contract returned no result record'
  const r = value as Record<string, unknown>
  if (typeof r.result !== 'boolean' || !isString(r.error_string) || !Array.isArray(r.metadatas)) return 'the contract returned a malformed result record'
  const metadatas: FinalMetadata[] = []
  for (const m of r.metadatas as unknown[]) {
    const fm = m as Record<string, unknown>
    if (typeof m !== 'object' || m === null || !isString(fm.public_key) || !isString(fm.alias) || !isString(fm.content) || !isString(fm.version) || typeof fm.loose !== 'number') {
      return 'the contract returned a malformed metadata record'
    }
    // A slot is stored under the key's one form, whatever case the contract spelt an address in.
    metadatas.push({ public_key: canonicalPublicKey(fm.public_key), alias: fm.alias, content: fm.content, loose: fm.loose, version: fm.version })
  }
  return { result: r.result, metadatas, error_string: r.error_string }
}
