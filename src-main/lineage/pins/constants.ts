/** Name of the progress events of pinning (one after each slice of the walk, and at the end). */
export const PIN_PROGRESS_EVENT = 'lineage:pin:progress'

/** Name of the progress events of garbage collection. */
export const GC_PROGRESS_EVENT = 'lineage:gc:progress'

/**
 * Blocks a walk visits before it yields to the event loop (and checks its AbortSignal). A
 * version block decodes in a few microseconds, so a slice takes about a millisecond: the node
 * keeps answering RPC and peers while a large DAG is pinned or marked.
 */
export const WALK_SLICE_BLOCKS = 512

/**
 * Rows of the `blocks` table the sweep reads per query (rowid, multihash, codec and size only,
 * never the bytes), so the sweep's memory is one page plus the list of blocks it frees.
 */
export const SWEEP_PAGE_ROWS = 1024

/** Longest pin name accepted: a label for people, not a place to store data. */
export const MAX_PIN_NAME_LENGTH = 256

/**
 * Longest CID string accepted as input. A CIDv1 with a 64-byte digest in base32 is about 120
 * characters; anything far longer is not a CID and is refused before it is parsed.
 */
export const MAX_CID_TEXT_LENGTH = 256

/**
 * Blocks of one DAG fetched from peers at the same time when pinning a CID this node lacks: each
 * fetch is a network round trip, and bitswap batches the wants to each peer in one message.
 */
export const MAX_FETCHES_IN_FLIGHT = 64

/**
 * Blocks one pin may fetch from peers. Every fetched block is checked, but a peer can still make
 * up an endless DAG of valid blocks; this bounds what one pin can pull in (a 10,000-token
 * collection with a few versions each is well under it). Past it the pin stops and pins nothing.
 */
export const MAX_FETCHED_BLOCKS_PER_PIN = 1_000_000
