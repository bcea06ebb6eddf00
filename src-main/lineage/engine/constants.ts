import { MAX_ALIAS_BYTES, MAX_DATA_BYTES } from '../signing/index.js'

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
export const ON_MINT = 'on_mint'
/** Collections whose token_key the engine remembers (chain id and address are in every request). */
export const TOKEN_KEY_CACHE_SIZE = 1024
/** The slot version a dry run judges when the candidate names none (the importer's default too). */
export const DEFAULT_DRY_RUN_VERSION = 'v1'

/*
 * What a meta contract's answer may write (contract-output.ts). A contract is untrusted code: the
 * engine checks its answer against these before anything is stored.
 */
/** Slots one transaction may write: the built-in contracts write one; a few more lets a contract keep an index beside a document. */
export const MAX_CONTRACT_WRITES = 16
/** Largest content of one written slot, in UTF-8 bytes: what a transaction's `data` may be (signing's MAX_DATA_BYTES). */
export const MAX_WRITE_CONTENT_BYTES = MAX_DATA_BYTES
/** Longest alias a contract may write, in UTF-8 bytes: what a signed `alias` may be (signing's MAX_ALIAS_BYTES). */
export const MAX_WRITE_ALIAS_BYTES = MAX_ALIAS_BYTES
/**
 * Longest version a contract may write, in UTF-8 bytes. Longer than a signed `version` (64): a
 * contract may keep state in a version it chooses, as collab keeps its list of collaborators
 * (about 110 bytes each), and this holds some 70 of them per token.
 */
export const MAX_WRITE_VERSION_BYTES = 8 * 1024
/** Longest reason a contract gives for a refusal that a receipt keeps, in characters; the rest is cut. */
export const MAX_CONTRACT_REASON_CHARS = 1024

/**
 * Dry runs (validate_metadata) of one meta contract that may wait for it at once. A dry run costs
 * a contract call like a write, but stores nothing and proves nothing: past this, more are refused
 * at once rather than queued behind a contract that may be burning its budget on each. The
 * editor needs one verdict at a time (the latest document's).
 */
export const MAX_WAITING_DRY_RUNS_PER_CONTRACT = 2
