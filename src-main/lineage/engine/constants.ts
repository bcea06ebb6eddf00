/** Pending transactions the validator reads per query; it loops until none are left. */
export const VALIDATOR_BATCH = 512
/**
 * Most transactions whose blocks, heads and receipts commit in one SQLite transaction (one
 * fsync). Bounds how much work a crash sends back to pending, and how long receipts wait.
 */
export const VALIDATOR_GROUP_COMMIT = 256
/** Contract functions of the interface (services/contract-sdk). */
export const ON_EXECUTE = 'on_execute'
export const ON_CLONE = 'on_clone'
/** Collections whose token_key the engine remembers (chain id and address are in every request). */
export const TOKEN_KEY_CACHE_SIZE = 1024
/** The slot version a dry run judges when the candidate names none (the importer's default too). */
export const DEFAULT_DRY_RUN_VERSION = 'v1'
