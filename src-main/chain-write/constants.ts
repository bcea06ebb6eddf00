/**
 * Limits and timings of the chain writer. Each is listed in docs/LIMITS.md with why it has its value.
 */

/** How often a sent transaction's receipt is asked for until it is confirmed. */
export const TX_POLL_INTERVAL_MS = 2_000

/** Gas limit set above the estimate, in percent: state may change a little between estimate and mining. */
export const GAS_LIMIT_HEADROOM_PERCENT = 20

/** Priority fee (tip) used when the endpoint does not answer eth_maxPriorityFeePerGas: 1.5 gwei. */
export const DEFAULT_PRIORITY_FEE_WEI = 1_500_000_000n

/** Longest URI written to a contract (a baseURI or a token's URI). */
export const MAX_URI_LENGTH = 2_048

/** Most transactions or metadata updates one listing answers. */
export const MAX_LISTED = 100

/** Most token ids one chain_tokens call answers: a page of the token browser, with room. */
export const MAX_CHAIN_TOKENS_PER_CALL = 100

/** Longest error text kept with a transaction. */
export const MAX_TX_ERROR_LENGTH = 500

/** What a creator can write: the collection's baseURI, one token's URI, or an EIP-4906 refresh. */
export const WRITE_ACTIONS = ['base_uri', 'token_uri', 'metadata_update'] as const
export type WriteAction = typeof WRITE_ACTIONS[number]

/**
 * The setters looked for, in order of preference. These are the names collection contracts use
 * most (OpenZeppelin has no public setter; projects add one of these); the first one the
 * contract's code holds is used.
 */
export const CANDIDATE_FUNCTIONS: Record<WriteAction, readonly string[]> = {
  base_uri: ['setBaseURI(string)', 'setBaseTokenURI(string)', 'setURI(string)'],
  token_uri: ['setTokenURI(uint256,string)', 'setURI(uint256,string)'],
  metadata_update: ['emitBatchMetadataUpdate(uint256,uint256)', 'emitMetadataUpdate(uint256)'],
}

/** EIP-4906's interface id, as supportsInterface (EIP-165) answers it. */
export const EIP4906_INTERFACE_ID = '0x49064906'

/** EIP-1967's implementation slot: a proxy's functions are looked for in the contract it points to. */
export const EIP1967_IMPLEMENTATION_SLOT = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc'
