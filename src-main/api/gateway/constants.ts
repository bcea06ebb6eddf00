/** tokenURI documents change when a new version is published: revalidate every time (cheap, ETag). */
export const METADATA_CACHE_CONTROL = 'public, max-age=0, must-revalidate'
/** A CID names its bytes forever. */
export const IPFS_CACHE_CONTROL = 'public, max-age=29030400, immutable'
/** Media types of the trustless gateway responses. */
export const RAW_BLOCK_TYPE = 'application/vnd.ipld.raw'
export const CAR_TYPE = 'application/vnd.ipld.car; version=1'
export const DAG_JSON_TYPE = 'application/vnd.ipld.dag-json'
/**
 * Formatted tokenURI documents kept in memory (about 1 KB each), and the most the startup warm-up
 * formats: two 10,000-item collections fit whole.
 */
export const DOCUMENT_CACHE_ENTRIES = 20_000
/** Longest stretch of warm-up formatting (about 0.4 ms a token) before reads get a turn. */
export const WARM_UP_SLICE_MS = 2
/** Slot rows the warm-up reads per query (about 40 µs of SQLite per 10 rows). */
export const WARM_UP_PAGE_ROWS = 256
/** Derived token_key / data_key answers kept in memory, per kind (about 200 bytes each). */
export const KEY_MEMO_ENTRIES = 20_000
/** Longest path inside a block the gateway follows (segments). */
export const MAX_PATH_SEGMENTS = 32
