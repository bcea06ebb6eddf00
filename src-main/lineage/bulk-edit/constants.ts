/**
 * Most tokens one bulk edit may change: a collection's worth for most creators, and a bound on
 * the job row (it keeps the token ids it edits) and on the preview's work (every document is read).
 */
export const MAX_BULK_EDIT_TOKENS = 10_000
/** Tokens a preview lists with their before → after (the counts cover them all). */
export const BULK_EDIT_PREVIEW_SHOWN = 50
/** Edited tokens signed and published together, in one SQLite transaction (one commit a batch). */
export const BULK_EDIT_BATCH = 200
/** Refused tokens a job keeps with their reasons; beyond it only the count grows. */
export const MAX_BULK_EDIT_REFUSED_KEPT = 1000
/** Longest field name or trait type an edit may name (the browser indexes traits up to 120). */
export const MAX_BULK_EDIT_NAME = 120
/** Longest text value an edit may set: a description's worth. */
export const MAX_BULK_EDIT_VALUE = 4000
/** The `jobs.kind` of a bulk edit (same table as imports and exports, migration 3). */
export const BULK_EDIT_JOB_KIND = 'edit:bulk'
/** The slot a bulk edit rewrites: the main document (alias "") at the editor's and importer's version. */
export const BULK_EDIT_ALIAS = ''
export const BULK_EDIT_VERSION = 'v1'
/** Hex digits of a job's nonce prefix and of the per-token part after it (as the importer's nonces). */
export const BULK_EDIT_NONCE_HEX_DIGITS = 32
/** Fields the trait operations own: a field operation on them is refused (use a trait operation). */
export const TRAIT_FIELD = 'attributes'
/** Progress events of a running bulk edit. */
export const BULK_EDIT_PROGRESS_EVENT = 'lineage:bulk-edit:progress'
