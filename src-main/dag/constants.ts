/**
 * Largest block accepted from a CAR file. Kubo chunks files into 256 KiB blocks and the IPFS
 * network treats 1 MiB as the largest block every peer will move, so anything bigger is either
 * a mistake or an attempt to make us buffer it.
 */
export const MAX_BLOCK_BYTES = 1024 * 1024

/**
 * Largest CAR header (the roots list), read whole. Exports since the single-root layout have one
 * root; earlier Lineage exports listed every slot head and pin (about 39 bytes each), so 64 MiB
 * still reads a backup of about 1.7 million heads that an earlier version wrote.
 */
export const MAX_CAR_HEADER_BYTES = 64 * 1024 * 1024

/** Largest CID in a CAR section: version, codec and a 64-byte digest fit in well under 128. */
export const MAX_CID_BYTES = 128

/** Blocks staged per SQLite transaction during a CAR import. */
export const IMPORT_BATCH_BLOCKS = 256

/**
 * Default bound on a history walk. Hash links cannot form a cycle, but a corrupted or hostile
 * blockstore could serve one; the bound makes any walk finish.
 */
export const MAX_HISTORY_VERSIONS = 1_000_000

/** Deepest nesting accepted in a version's content, so validation cannot exhaust the stack. */
export const MAX_CONTENT_DEPTH = 64

/** Name of the progress events of CAR import and export. */
export const CAR_PROGRESS_EVENT = 'lineage:car:progress'

/** Bytes of block data staged per SQLite transaction during a CAR import (a batch ends at either bound). */
export const IMPORT_BATCH_BYTES = 4 * 1024 * 1024

/**
 * Bytes of CAR sections gathered before one write to the file: two blocks of the largest size
 * fit, and a write of this size costs about a millisecond, so the event loop gets a turn often.
 */
export const CAR_WRITE_CHUNK_BYTES = 2 * 1024 * 1024
