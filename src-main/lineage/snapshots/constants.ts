/** Name of a snapshot's progress events (after each page of tokens, and at the end). */
export const SNAPSHOT_PROGRESS_EVENT = 'lineage:snapshot:progress'

/**
 * Kubo's `Import.UnixFSHAMTDirectorySizeThreshold` (256 KiB): a folder whose links would take
 * more, estimated as Kubo (boxo) estimates it (each link's name plus CID bytes, the importer's
 * `links-bytes` strategy), becomes a HAMT-sharded directory. The same threshold and estimate give
 * the same root CID as `ipfs add -r --cid-version=1` on the same files. About 6,500 tokens fit
 * a flat folder (a CIDv1 raw link is 36 bytes plus the name); more are sharded. The importer's
 * defaults are the same today; they are set explicitly so that an importer upgrade (IPIP-499's
 * `unixfs-v1-2025` profile estimates whole blocks instead) cannot change a collection's root.
 */
export const KUBO_SHARD_SPLIT_THRESHOLD_BYTES = 262_144

/** Kubo's HAMT fanout (`Import.UnixFSHAMTDirectoryMaxFanout` 256): 8 bits of hash per level. */
export const KUBO_SHARD_FANOUT_BITS = 8

/**
 * Tokens formatted per query and per turn of the event loop: a page is about 30 ms of
 * formatting (0.45 ms a token), so the gateway and the API keep answering while a snapshot runs,
 * and only one page of documents is held at a time.
 */
export const SNAPSHOT_PAGE_TOKENS = 64

/**
 * Blocks held in memory before they go to the snapshot's staging table in one SQLite transaction
 * (about 0.6 MB of 600-byte documents): few transactions, and memory that does not grow.
 */
export const SNAPSHOT_STAGE_BLOCKS = 1024

/**
 * Most tokens one snapshot may hold. Documents are streamed, but `ipfs-unixfs-importer` keeps the
 * folder's tree in memory until it writes the directory (measured: about 1.7 KB of live heap a
 * token, 165 MiB at 100,000, with its HAMT buckets), so this bounds that at about 420 MiB. The
 * largest collections we know of are 100,000 tokens or fewer.
 */
export const MAX_SNAPSHOT_TOKENS = 250_000
