import type { WriteAction } from './constants.js'

export interface WriteInput {
  chain_id: unknown
  address: unknown
  /** The keystore key (secp256k1) that signs. */
  key: unknown
  action: unknown
  /** base_uri, token_uri: the URI to write. */
  uri?: unknown
  /** token_uri: the token; metadata_update: the first token. */
  token_id?: unknown
  /** metadata_update: the last token of the range (default: token_id). */
  to_token_id?: unknown
}

export interface SendInput extends WriteInput {
  passphrase: unknown
  /** The most the creator agreed to pay (the estimate's cost_wei); a higher fee now sends nothing. */
  max_cost_wei?: unknown
}

/** Which changes a contract can take from this app. */
export interface WriteFunctionsInfo {
  chain_id: number
  address: string
  /** The function used for each change, or null when the contract has none the node knows. */
  base_uri: string | null
  token_uri: string | null
  metadata_update: string | null
  /** supportsInterface(0x49064906): the contract says it emits EIP-4906 events. */
  eip4906: boolean
}

export interface WriteEstimateInfo {
  chain_id: number
  address: string
  action: WriteAction
  /** The contract's function that will be called, e.g. "setBaseURI(string)". */
  function: string
  args: string[]
  from: string
  /** eth_estimateGas, and the limit sent (with headroom). Amounts are decimal strings. */
  gas: string
  gas_limit: string
  max_fee_per_gas: string
  max_priority_fee_per_gas: string
  /** The most the transaction can cost (gas_limit × max_fee_per_gas), in wei. */
  cost_wei: string
  balance_wei: string
  enough_funds: boolean
  eip4906: boolean
}

export type ChainTxState = 'sent' | 'mined' | 'confirmed' | 'failed'

export interface ChainTxInfo {
  id: number
  chain_id: number
  address: string
  from: string
  action: WriteAction
  function: string
  args: string[]
  tx_hash: string
  nonce: number
  gas_limit: string
  max_fee_per_gas: string
  /** sent (waiting to be mined), mined (fewer confirmations than needed), confirmed, failed. */
  state: ChainTxState
  block_number: number | null
  /** Blocks on top of and including its block, at the last look; 0 until mined. */
  depth: number
  confirmations: number
  gas_used: string | null
  error: string | null
  created_at: string
  updated_at: string
}

/** An EIP-4906 event seen in a confirmed transaction: one token (to null) or a range. */
export interface MetadataUpdateInfo {
  chain_id: number
  address: string
  tx_hash: string
  block_number: number
  token_from: string
  token_to: string | null
  recorded_at: string
}
