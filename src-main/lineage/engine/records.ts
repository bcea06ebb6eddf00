/**
 * Rows of the engine's tables, and the records of the meta contract interface (the original
 * protocol's names and types, as services/contract-sdk declares them for the Wasm side).
 */

// The request's own file (types only), so this file stays types only: api/rpc-types derives from it.
import type { TransactionRequest } from '../signing/transaction-request.js'

export type { TransactionMethod } from '../signing/transaction-request.js'
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
  /** Why it was rejected (the meta contract's own words where it gave them); "" when applied. */
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

/**
 * What the node knows from the chain about the token a transaction writes, as on_execute's
 * Transaction record gives it (services/contract-sdk): from the owner index of a watched
 * collection, at the last confirmed block the watcher applied.
 * - token_state: "minted", "unminted" (never seen minted), "burned", or "unwatched" (this node
 *   does not watch the collection, so it knows nothing: a contract should refuse what needs it).
 * - token_owner: the ERC-721 holder, lower-case 0x address; "" when not minted, unwatched, or ERC-1155.
 */
export interface TokenChainFacts {
  token_state: 'minted' | 'unminted' | 'burned' | 'unwatched'
  token_owner: string
}

/**
 * Who may bind a collection, as its chain says: `owner` is the collection contract's EIP-173
 * owner() at `block` (a confirmed block); null `owner` means the chain is not configured here or
 * the contract has no owner(), and the first binder's rule holds.
 */
export interface BindingAuthority { owner: string | null, block: number | null }

/** The chain as the engine reads it (the chain watcher, wired by the node). */
export interface ChainFactSource {
  tokenFacts(chainId: string, address: string, tokenId: string): TokenChainFacts
  /** Whether an endpoint is configured for the chain: then owner() decides who binds. */
  configured(chainId: string): boolean
  /** Throws a ChainEndpoint*Error when the endpoint cannot answer. */
  bindingAuthority(chainId: string, address: string): Promise<BindingAuthority>
  /**
   * The facts as of a given block (a holder write's `chain_block`), the same on every node that
   * has applied it; "wait" while this node has not.
   */
  factsForJudging?(chainId: string, address: string, tokenId: string, block: number): TokenChainFacts | 'wait'
  /** Calls `listener` when the applied blocks change (a write waiting for one may go on). */
  onAdvance?(listener: () => void): () => void
  /** The newest block applied for a watched collection (null: not watched, or none yet): the node's own holder writes name it. */
  lastAppliedBlock?(chainId: string, address: string): number | null
}
