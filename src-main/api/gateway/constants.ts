/** tokenURI documents change when a new version is published: revalidate every time (cheap, ETag). */
export const METADATA_CACHE_CONTROL = 'public, max-age=0, must-revalidate'
/** A CID names its bytes forever. */
export const IPFS_CACHE_CONTROL = 'public, max-age=29030400, immutable'
/** Media types of the trustless gateway responses. */
export const RAW_BLOCK_TYPE = 'application/vnd.ipld.raw'
export const CAR_TYPE = 'application/vnd.ipld.car; version=1'
export const DAG_JSON_TYPE = 'application/vnd.ipld.dag-json'
/**
 * Formatted tokenURI documents kept in memory at most, and the most memory they are counted as
 * (body, ETag and about 256 bytes of bookkeeping each): about 10,000 documents of 500 bytes. Past
 * that a read is one indexed SQLite read of the kept document (about 10 µs), so a bigger cache
 * buys little and costs the node's memory; what it holds is what readers read again
 * (DOCUMENT_ADMISSION_BITS).
 */
export const DOCUMENT_CACHE_ENTRIES = 20_000
export const DOCUMENT_CACHE_BYTES = 8 * 1024 * 1024
/**
 * Bits of the doorkeeper (32 KiB) that lets a kept document into the cache on its second read
 * only (`doorkeeper.ts`): cleared every 8,192 first reads, so a token read twice within about
 * that many reads gets in.
 */
export const DOCUMENT_ADMISSION_BITS = 262_144
/** Longest stretch of background formatting (about 0.5 ms a token) or checking before reads get a turn. */
export const BACKGROUND_SLICE_MS = 2
/** Slot rows the background walk reads per query (a keyset page: about 1.5 ms however deep). */
export const BACKGROUND_PAGE_ROWS = 256
/** Slot rows the walk checks per query for missing documents (about 1.4 ms of SQLite, so reads wait no longer). */
export const KEEP_CHECK_ROWS = 1024
/**
 * Background work gives way to gateway reads: its next slice waits until no read came for
 * BACKGROUND_QUIET_MS, and at most BACKGROUND_MAX_WAIT_MS (so it still ends under constant load,
 * at about 1% of a core).
 */
export const BACKGROUND_QUIET_MS = 20
export const BACKGROUND_MAX_WAIT_MS = 200
/**
 * Quiet time after the last applied transaction before the documents it changed are made again
 * in the background: a bulk import is not slowed by formatting, and is formatted once it ends.
 */
export const REFRESH_IDLE_MS = 1_000
/**
 * Changed tokens the background formatter remembers one by one between refreshes (about 200
 * bytes each); past this, as in a bulk import, the refresh walks the slots instead and makes every
 * token whose kept document is not current.
 */
export const REFRESH_MAX_TOKENS = 10_000
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
/** Multicodec of dag-pb, the codec of UnixFS directories and files. */
export const DAG_PB_CODE = 0x70
/** Multihash code of identity: the "hash" is the bytes themselves, held in the CID. */
export const IDENTITY_CODE = 0x00
/**
 * Blocks one UnixFS path lookup or directory listing may read (not counting a file's own bytes or
 * a CAR): a path through a 10,000-token HAMT reads 3, a listing of one reads about 300. A hostile
 * shard linking one sub-shard from every slot could otherwise make a listing endless.
 */
export const MAX_UNIXFS_READS = 10_000
/** Entries in one page of a UnixFS directory listing; `?after=<name>` gives the next page. */
export const MAX_LISTING_ENTRIES = 1_000
/** Longest UnixFS name in a path (bytes of UTF-8), as most file systems allow. */
export const MAX_UNIXFS_NAME_BYTES = 255
/**
 * Largest HAMT fanout the gateway follows (Kubo writes 256 and refuses more than 1,024). The
 * exporter sizes tables by it, and a fanout of 0 or 2^40 exhausts memory.
 */
export const MAX_HAMT_FANOUT = 1_024
/**
 * A UnixFS file up to this size is read whole before the answer starts, so a broken block is a
 * 422 and a JSON document is recognised as such; a bigger one is streamed (an error then cuts
 * the response short, which a client detects by its length).
 */
export const MAX_BUFFERED_FILE_BYTES = 4 * 1024 * 1024
/**
 * Deserialised UnixFS files run no script and keep no origin: an SVG or a text file opened from
 * the gateway cannot reach the API on the same host.
 */
export const UNIXFS_FILE_CSP = 'sandbox'
