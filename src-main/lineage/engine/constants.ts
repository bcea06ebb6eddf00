/** Pending transactions the validator reads per query (a lane, per collection); it loops until none are left. */
export const VALIDATOR_BATCH = 512
/**
 * Collections of one meta contract the validator works through side by side (one lane each). A
 * contract runs in one sandbox worker at a time, so more lanes would only wait in its queue; the
 * bound caps the pending transactions held in memory (a batch per lane) to a few batches per
 * deployed contract. A contract's further collections wait for one of its lanes, never for
 * another contract's, so collections whose contract burns its budget cannot hold up the rest.
 */
export const VALIDATOR_LANES_PER_CONTRACT = 4
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
/**
 * Dry runs (validate_metadata) of one meta contract that may wait for it at once. A dry run costs
 * a contract call like a write, but stores nothing and proves nothing: past this, more are refused
 * at once rather than queued behind a contract that may be burning its budget on each. The
 * editor needs one verdict at a time (the latest document's).
 */
export const MAX_WAITING_DRY_RUNS_PER_CONTRACT = 2
