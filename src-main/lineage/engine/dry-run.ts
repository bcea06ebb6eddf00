import { randomBytes } from 'node:crypto'
import { WaitingCallsGate } from '../../marine/index.js'
import type { ContractSandbox } from '../../marine/index.js'
import { canonicalPublicKey, prepareTransaction } from '../signing/index.js'
import { DEFAULT_DRY_RUN_VERSION, MAX_WAITING_DRY_RUNS_PER_CONTRACT, ON_EXECUTE } from './constants.js'
import { readContractOutput } from './contract-output.js'
import { executeArguments } from './contract-records.js'
import { CollectionNotBoundError, DryRunBusyError, UnknownMetaContractError } from './errors.js'
import type { Ledger } from './ledger.js'
import type { TokenChainFacts, TransactionRow } from './records.js'

export interface DryRunComponents {
  ledger: Ledger
  sandbox: ContractSandbox
  /** The chain facts for a contract that takes them (records.ts TokenChainFacts). */
  chainFacts?: (tx: Pick<TransactionRow, 'meta_contract_id' | 'chain_id' | 'token_address' | 'token_id'>) => TokenChainFacts | undefined
  gate: WaitingCallsGate
  tokenKey(chainId: string, tokenAddress: string): string
  dataKey(chainId: string, tokenAddress: string, tokenId: string): string
}

/** A metadata write someone is about to sign: what the contract would be asked to judge. */
export interface MetadataCandidate {
  chain_id: string
  token_address: string
  token_id: string
  /** The document, as the JSON text that would be signed. */
  data: string
  /** Default "" (the main document). */
  alias?: string
  /** Default "v1". */
  version?: string
  /** Who would sign it; default the key that bound the collection. */
  public_key?: string
}

export interface DryRunResult {
  /** True when the governing contract would apply the write. */
  ok: boolean
  /** The contract's own reason when it would not; "" when it would. */
  reason: string
  meta_contract_id: string
  public_key: string
  /** The slots the contract would write. */
  writes: Array<{ alias: string, version: string, public_key: string, loose: number }>
  /**
   * When the contract failed rather than answered, the sandbox's error name, for clients to branch
   * on: ContractTimeoutError, ContractOutOfMemoryError, ContractStackOverflowError,
   * ContractResultTooLargeError or ContractTrapError. `reason` is its message.
   */
  failure?: string
}

/** Dry runs waiting for each contract, at most MAX_WAITING_DRY_RUNS_PER_CONTRACT (DryRunBusyError past it). */
export function dryRunGate (): WaitingCallsGate {
  return new WaitingCallsGate(MAX_WAITING_DRY_RUNS_PER_CONTRACT, (id, limit) => new DryRunBusyError(id, limit))
}

/**
 * Runs the collection's governing contract on a candidate metadata write exactly as the validator
 * would (same `on_execute` arguments, same reading of the answer), and writes nothing: no
 * transaction, nonce, block or receipt. Field limits are checked first, as `publish` checks them.
 *
 * @throws InvalidTransactionError naming the field, CollectionNotBoundError, UnknownMetaContractError,
 *   DryRunBusyError
 */
export async function dryRunMetadata (components: DryRunComponents, candidate: MetadataCandidate): Promise<DryRunResult> {
  const { ledger, sandbox } = components
  const tokenKey = components.tokenKey(candidate.chain_id, candidate.token_address)
  const binding = ledger.binding(tokenKey)
  if (binding === undefined) throw new CollectionNotBoundError(tokenKey)
  // The same checks as a signed request (a throwaway nonce: nothing is stored, nothing is replayed).
  const prepared = prepareTransaction({
    method: 'metadata',
    chain_id: candidate.chain_id,
    token_address: candidate.token_address,
    token_id: candidate.token_id,
    meta_contract_id: binding.meta_contract_id,
    alias: candidate.alias ?? '',
    version: candidate.version ?? DEFAULT_DRY_RUN_VERSION,
    public_key: candidate.public_key ?? binding.public_key,
    nonce: randomBytes(16).toString('hex'),
    timestamp: Date.now(),
    data: candidate.data,
    mcdata: '',
  })
  const { request } = prepared
  if (!sandbox.has(binding.meta_contract_id)) throw new UnknownMetaContractError(binding.meta_contract_id)
  const tx: TransactionRow = {
    seq: 0,
    hash: prepared.hash,
    method: 'metadata',
    meta_contract_id: binding.meta_contract_id,
    token_key: tokenKey,
    data_key: components.dataKey(request.chain_id, request.token_address, request.token_id),
    chain_id: request.chain_id,
    token_address: request.token_address,
    token_id: request.token_id,
    alias: request.alias,
    version: request.version,
    public_key: canonicalPublicKey(request.public_key),
    nonce: request.nonce,
    data: request.data,
    mcdata: '',
    signature: '',
    timestamp: request.timestamp,
    status: 'pending',
  }
  const base = { meta_contract_id: binding.meta_contract_id, public_key: tx.public_key }
  const refused = (reason: string): DryRunResult => ({ ...base, ok: false, reason, writes: [] })

  let answer: unknown
  const leave = components.gate.enter(binding.meta_contract_id)
  try {
    answer = await sandbox.call(binding.meta_contract_id, ON_EXECUTE, executeArguments(binding, ledger.slots(tx.data_key, tx.meta_contract_id), tx, components.chainFacts?.(tx)))
  } catch (err) {
    // The sandbox's named failure (out of memory, stack overflow, answer too large, time budget).
    return { ...refused((err as Error).message), failure: (err as Error).name }
  } finally {
    leave()
  }
  // The validator's own reading of the answer: a dry run refuses exactly what applying would.
  const output = readContractOutput(answer, tx)
  if (!output.ok) return refused(output.reason)
  return { ...base, ok: true, reason: '', writes: output.writes.map(({ write: { alias, version, public_key: key, loose } }) => ({ alias, version, public_key: key, loose })) }
}
