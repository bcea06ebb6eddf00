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
/** Longest stretch of warm-up formatting (about 0.5 ms a token) before reads get a turn. */
export const WARM_UP_SLICE_MS = 2
/** Slot rows the warm-up reads per query (a keyset page: about 1.5 ms however deep). */
export const WARM_UP_PAGE_ROWS = 256
/**
 * Quiet time after the last applied transaction before the documents it changed are made again
 * in the background: a bulk import is not slowed by formatting, and is formatted once it ends.
 */
export const REFRESH_IDLE_MS = 1_000
/** Formatted documents written to SQLite (to be served right after a restart) per transaction at most. */
export const DOCUMENT_WRITE_BATCH = 512
/** How long a formatted document waits for others to share its SQLite write (ms). */
export const DOCUMENT_WRITE_DELAY_MS = 200
/**
 * Kept in memory, each kind up to this many (about 200 bytes an entry): data_key derivations,
 * (chain id, address) spellings with their token_key, and collection bindings.
 */
export const KEY_MEMO_ENTRIES = 20_000
/** Longest path inside a block the gateway follows (segments). */
export const MAX_PATH_SEGMENTS = 32
/**
 * Public gateway listener (`--gateway-host`): reads a client may make a second on average, and
 * in a burst. A marketplace indexing a 10,000-item collection from one address gets through it
 * in under ten minutes; a flood from one address costs the node little.
 */
export const PUBLIC_RATE_PER_SECOND = 20
export const PUBLIC_RATE_BURST = 200
/** Client addresses the rate limiter remembers (about 100 bytes each); the oldest is forgotten past this. */
export const RATE_LIMIT_CLIENTS = 100_000

/**
 * How long a client may cache where an /ipns/ name points (the redirect). Short, so a new
 * snapshot is seen within a minute; the /ipfs/ content it leads to is cached for good.
 */
export const IPNS_CACHE_SECONDS = 60
