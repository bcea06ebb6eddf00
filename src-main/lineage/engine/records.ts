/**
 * Rows of the engine's tables, and the records of the meta contract interface (the original
 * protocol's names and types, as services/contract-sdk declares them for the Wasm side).
 */

import type { TransactionRequest } from '../signing/index.js'

export type { TransactionMethod } from '../signing/index.js'
export type TransactionStatus = 'pending' | 'applied' | 'rejected'

/** A row of `transactions`: the signed request as received, and what the node derived and decided. */
export interface TransactionRow extends TransactionRequest {
  seq: number
  hash: string
  token_key: string
  data_key: string
  status: TransactionStatus
}

export interface ReceiptRow {
  hash: string
  status: 'applied' | 'rejected'
  reason: string
  /**
   * The head of each slot the transaction wrote to, as CID strings (JSON array in the table): a
   * new version, or for a write of the content the slot already held, that existing version.
   */
  heads: string[]
  /** Applied, but every write already was its slot's current content: nothing was stored, no head moved. */
  unchanged: boolean
  timestamp: number
}

export interface SlotRow {
  data_key: string
  meta_contract_id: string
  public_key: string
  alias: string
  version: string
  token_key: string
  token_id: string
  head_cid: string
  loose: 0 | 1
  last_tx: string
  updated_at: number
}

export interface BindingRow {
  token_key: string
  chain_id: string
  token_address: string
  meta_contract_id: string
  /** The key that bound the collection; only it may rebind. */
  public_key: string
  data: string
  tx_hash: string
  updated_at: number
}

// The contract interface, as the Wasm side declares it (services/contract-sdk).

export interface MetaContractRecord {
  hash: string
  token_key: string
  meta_contract_id: string
  public_key: string
  cid: string
}

export interface MetadataRecord {
  hash: string
  token_key: string
  data_key: string
  meta_contract_id: string
  token_id: string
  alias: string
  cid: string
  public_key: string
  version: string
  loose: number
}

export interface TransactionRecord {
  hash: string
  method: string
  meta_contract_id: string
  data_key: string
  token_key: string
  data: string
  public_key: string
  alias: string
  timestamp: number
  chain_id: string
  token_address: string
  token_id: string
  version: string
  status: number
  mcdata: string
}

export interface FinalMetadata {
  public_key: string
  alias: string
  content: string
  loose: number
  version: string
}

export interface MetaContractResult {
  result: boolean
  metadatas: FinalMetadata[]
  error_string: string
}
