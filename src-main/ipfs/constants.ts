/** The bitswap protocol we speak: the version Kubo, Boxo and Helia all speak today. */
export const BITSWAP_PROTOCOL = '/ipfs/bitswap/1.2.0'

/**
 * Largest bitswap message read from or written to a peer. A block is at most 1 MiB
 * (dag `MAX_BLOCK_BYTES`), and Kubo/Boxo split messages at 4 MiB, so a bigger length prefix is
 * not an IPFS peer behaving normally: the stream is reset before the message is buffered.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

/**
 * Entries of one peer's wantlist this node keeps (what it will look up and send). Kubo's own
 * default; a peer asking for more gets the excess ignored, so a flood of wants cannot grow memory.
 */
export const MAX_PEER_WANTLIST_ENTRIES = 1024

/**
 * How long one block may take to arrive from connected peers before the fetch gives up. Bitswap
 * gets no "not found" from peers that lack a block, so only a deadline ends the search. Under the
 * UI's and API clients' usual 30 s call timeout, so a pin of a CID no peer has ends with this
 * error, not with the caller giving up.
 */
export const FETCH_TIMEOUT_MS = 20_000

/** Inbound and outbound bitswap streams per connection: one per message, as stock peers open them. */
export const MAX_BITSWAP_STREAMS = 1024

/** A block this node wanted may still arrive this long after its fetch ended (another peer answered first) without counting against its sender. */
export const UNSOLICITED_GRACE_MS = 60_000

/**
 * Blocks fetched from peers at once for API reads (`ipfs_get`): a read without the API token may
 * make the node ask its peers for a block, so a client cannot keep more than this many asks open
 * (each ends within FETCH_TIMEOUT_MS).
 */
export const MAX_READER_FETCHES = 8
