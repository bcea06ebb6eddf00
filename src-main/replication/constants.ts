/** The sync protocol: a client reconciles one collection's transaction set with a peer's, then fetches what it lacks. */
export const SYNC_PROTOCOL = '/lineage/sync/1.0.0'

/** Gossip topic of a collection: every new signed transaction of it is announced there. */
export const GOSSIP_TOPIC_PREFIX = '/lineage/tx/1/'

/** The largest sync message either side accepts (a page of transactions, or a list of keys). */
export const SYNC_MAX_MESSAGE_BYTES = 8 * 1024 * 1024

/** A range holding at most this many transactions is answered with its keys rather than split. */
export const SYNC_LEAF_ITEMS = 128

/** A range with more transactions than SYNC_LEAF_ITEMS is split into this many parts. */
export const SYNC_SPLIT_FANOUT = 16

/** At most this many keys in one answer (about 80 bytes each); further ranges are split instead. */
export const SYNC_MAX_KEYS_PER_ANSWER = 20_000

/** At most this many ranges in one request. */
export const SYNC_MAX_RANGES_PER_REQUEST = 4096

/** Reconciliation rounds before a sync gives up (16^8 transactions would need 8). */
export const SYNC_MAX_ROUNDS = 12

/** Transactions asked for in one request, and stored in one batch. */
export const SYNC_FETCH_PAGE = 512

/** Requests one sync stream may carry before the server closes it. */
export const SYNC_MAX_REQUESTS_PER_STREAM = 1024

/** How long one request may wait for its answer. */
export const SYNC_REQUEST_TIMEOUT_MS = 30_000

/** Concurrent sync streams per connection, each way. */
export const SYNC_MAX_STREAMS = 4

/** Followed collections are synced again with every connected peer this often (gossip can miss messages). */
export const RESYNC_INTERVAL_MS = 60_000

/** A peer that sent something invalid (a forged transaction, an oversized or malformed message) is cut off this long. */
export const DENY_PEER_MS = 10 * 60_000

/** Gossip messages one peer may send per second, averaged over GOSSIP_RATE_WINDOW_MS, before it is cut off as a flood. */
export const GOSSIP_MAX_MESSAGES_PER_SECOND = 2000
export const GOSSIP_RATE_WINDOW_MS = 5000
