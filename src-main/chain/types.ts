import type { TokenType } from './constants.js'

/** A chain's endpoint as listings show it. */
export interface ChainEndpointInfo {
  chain_id: number
  http_url: string
  ws_url: string
  confirmations: number
  poll_interval_ms: number
  updated_at: string
}

export interface ChainEndpointInput {
  chain_id: unknown
  http_url?: unknown
  ws_url?: unknown
  confirmations?: unknown
  poll_interval_ms?: unknown
}

export interface WatchInput {
  chain_id: unknown
  address: unknown
  token_type?: unknown
  /** Default: the contract's deployment block, found by the node. */
  start_block?: unknown
}

/** What a watch is doing now. */
export type WatchState = 'stopped' | 'finding start block' | 'backfilling' | 'following' | 'retrying'

export interface WatchErrorInfo {
  name: string
  message: string
  at: string
}

export interface WatchStatusInfo {
  chain_id: number
  address: string
  token_type: TokenType
  active: boolean
  state: WatchState
  start_block: number | null
  /** Last block whose events took effect (the checkpoint); null before the first range. */
  last_block: number | null
  /** The endpoint's head and the newest confirmed block, at the last look. */
  head: number | null
  safe_block: number | null
  confirmations: number | null
  /** Blocks asked for in one eth_getLogs now (it adapts to the endpoint). */
  block_span: number
  /** Failures in a row; 0 once a step succeeds. */
  failures: number
  last_error: WatchErrorInfo | null
  /** When the next attempt runs after a failure; null when not retrying. */
  retry_at: string | null
  reorgs: number
  events: number
  tokens: number
}

/** A token of a watched collection, as the owner index knows it. */
export interface ChainTokenInfo {
  chain_id: number
  address: string
  token_id: string
  /** Minted and not burned. */
  minted: boolean
  burned: boolean
  /** ERC-721's holder; null when burned, unknown, or ERC-1155. */
  owner: string | null
  /** ERC-1155 holders with their amounts (decimal); ERC-721: the owner with "1". */
  balances: Array<{ holder: string, amount: string }>
  supply: string
  /** null when minted before the watch's start block, or never seen. */
  mint_block: number | null
  mint_tx: string | null
  burn_block: number | null
  /** The newest EIP-4906 announcement naming the token (alone or in a range), or null. */
  metadata_update: { block_number: number, tx_hash: string } | null
}

/** A confirmed mint, as the watcher hands it to the node's on_mint calls (one per ERC-1155 batch entry). */
export interface ConfirmedMint {
  watch_id: number
  chain_id: number
  address: string
  block_number: number
  log_index: number
  batch_index: number
  tx_hash: string
  token_id: string
  from: string
  to: string
  amount: string
  /** The mint's cron_tx hash (cron.ts). */
  hash: string
}

/**
 * What the node does with confirmed mints (the engine's on_mint calls). `prepare` runs before a
 * range commits (contract calls are asynchronous); what it answers is applied inside the range's
 * transaction, with the events and the checkpoint. `undo` runs inside a reorg's rewind, before the
 * events after `keep` are deleted; each answers what to do once the transaction has committed.
 */
export interface MintHandler {
  prepare(mints: ConfirmedMint[], blockTimeMs: (block: number) => Promise<number | null>): Promise<{ apply(): void, after(): void } | undefined>
  undo(watchId: number, keep: number): () => void
}

/** What the owner index says of a token, for on_execute (lineage/engine TokenChainFacts). */
export interface TokenFacts {
  token_state: 'minted' | 'unminted' | 'burned' | 'unwatched'
  token_owner: string
}
