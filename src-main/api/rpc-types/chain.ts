/**
 * Params and results of the chain watcher's methods (chain_*) and the original's cron reads.
 * Types only, re-exported by ../rpc-types.ts.
 */

export type ChainTokenTypeName = 'erc721' | 'erc1155'

export interface ChainEndpointInfoWire {
  chain_id: number
  http_url: string
  ws_url: string
  confirmations: number
  poll_interval_ms: number
  updated_at: string
}

export interface ChainEndpointOptions {
  http_url?: string
  ws_url?: string
  confirmations?: number
  poll_interval_ms?: number
}

export interface ChainWatchOptions {
  token_type?: ChainTokenTypeName
  start_block?: number
}

// Repeats chain/types.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
export interface ChainWatchStatusWire {
  chain_id: number
  address: string
  token_type: ChainTokenTypeName
  active: boolean
  state: 'stopped' | 'finding start block' | 'backfilling' | 'following' | 'retrying'
  start_block: number | null
  last_block: number | null
  head: number | null
  safe_block: number | null
  confirmations: number | null
  block_span: number
  failures: number
  last_error: { name: string, message: string, at: string } | null
  retry_at: string | null
  reorgs: number
  events: number
  tokens: number
}

// Repeats chain/types.ts ChainTokenInfo: a run-time module (or one typed by one), which the renderer's type check must not read.
export interface ChainTokenInfoWire {
  chain_id: number
  address: string
  token_id: string
  minted: boolean
  burned: boolean
  owner: string | null
  balances: Array<{ holder: string, amount: string }>
  supply: string
  mint_block: number | null
  mint_tx: string | null
  burn_block: number | null
  /** The newest EIP-4906 announcement naming the token, read from the chain. */
  metadata_update: { block_number: number, tx_hash: string } | null
}

// Repeats chain/cron.ts CronInfo: a run-time module (or one typed by one), which the renderer's type check must not read.
/** The original's cron row. */
export interface CronInfoWire {
  hash: string
  token_key: string
  address: string
  token_type: ChainTokenTypeName
  chain: string
  topic: string
  status: number
  meta_contract_id: string
  node_url: string
  last_processed_block: number
  public_key: string
  abi_url: string
}

// Repeats chain/cron.ts CronTxInfo: a run-time module (or one typed by one), which the renderer's type check must not read.
/** The original's cron_tx row: one confirmed mint. */
export interface CronTxInfoWire {
  hash: string
  address: string
  token_type: ChainTokenTypeName
  chain: string
  topic: string
  meta_contract_id: string
  timestamp: number
  tx_block_number: number
  tx_hash: string
  status: number
  data: string
  error_text: string
  token_id: string
  data_key: string
  token_key: string
}
