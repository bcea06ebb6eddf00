/**
 * Params and results of the chain writer's methods (chain_write_*, chain_tx, chain_txs,
 * chain_metadata_updates) and chain_tokens. Types only, re-exported by ../rpc-types.ts.
 */

export type ChainWriteActionName = 'base_uri' | 'token_uri' | 'metadata_update'

export interface ChainWriteRequest {
  chain_id: number | string
  address: string
  key: string
  action: ChainWriteActionName
  uri?: string
  token_id?: string
  to_token_id?: string
}

export interface ChainWriteFunctionsWire {
  chain_id: number
  address: string
  base_uri: string | null
  token_uri: string | null
  metadata_update: string | null
  eip4906: boolean
}

// Repeats chain-write/types.ts WriteEstimateInfo: a run-time module (or one typed by one), which the renderer's type check must not read.
export interface ChainWriteEstimateWire {
  chain_id: number
  address: string
  action: ChainWriteActionName
  function: string
  args: string[]
  from: string
  gas: string
  gas_limit: string
  max_fee_per_gas: string
  max_priority_fee_per_gas: string
  cost_wei: string
  balance_wei: string
  enough_funds: boolean
  eip4906: boolean
}

// Repeats chain-write/types.ts ChainTxInfo: a run-time module (or one typed by one), which the renderer's type check must not read.
export interface ChainTxWire {
  id: number
  chain_id: number
  address: string
  from: string
  action: ChainWriteActionName
  function: string
  args: string[]
  tx_hash: string
  nonce: number
  gas_limit: string
  max_fee_per_gas: string
  state: 'sent' | 'mined' | 'confirmed' | 'failed'
  block_number: number | null
  depth: number
  confirmations: number
  gas_used: string | null
  error: string | null
  created_at: string
  updated_at: string
}

export interface MetadataUpdateWire {
  chain_id: number
  address: string
  tx_hash: string
  block_number: number
  token_from: string
  token_to: string | null
  recorded_at: string
}

/** One token's chain facts, as the token browser marks it (a `revealed` flag joins it with reveal on mint). */
export interface ChainTokenFlagsWire {
  token_id: string
  minted: boolean
  burned: boolean
  owner: string | null
  /** The block of the newest EIP-4906 announcement naming the token, or null. */
  metadata_update_block: number | null
}
