/**
 * How often the node announces again every CID it provides. Provider records live 48 h on DHT
 * peers (kad-dht's and Kubo's validity); Kubo reprovides every 22 h, so a record is renewed well
 * before it expires even when one run is slow or the node slept through part of a day.
 */
export const DHT_REPROVIDE_INTERVAL_MS = 22 * 60 * 60 * 1000

/** The first run after start waits this long, so the host has found some DHT peers first. */
export const DHT_FIRST_REPROVIDE_DELAY_MS = 60_000

/**
 * When a run finds no DHT peer, or a whole batch reaches nobody (the network is down), it ends
 * and runs again after this, rather than waiting out a timeout per CID or a whole interval.
 */
export const DHT_RETRY_DELAY_MS = 10 * 60 * 1000

/** Announcements in flight at once. Each is a DHT walk to the 20 closest peers; Kubo's reprovider runs a few at once too. */
export const DHT_PROVIDE_CONCURRENCY = 8

/**
 * CIDs one run announces at most (policy in provider.ts: explicitly announced roots, then pinned
 * roots, then collection slot heads, newest first). At a few seconds a walk, this many take hours
 * at DHT_PROVIDE_CONCURRENCY, well inside DHT_REPROVIDE_INTERVAL_MS; a node with more tokens is
 * found through its snapshot roots, one CID for a whole collection.
 */
export const DHT_MAX_PROVIDED_CIDS = 10_000

/** CIDs read from the database and announced per batch of a run: progress shows per batch, and a stop waits for one batch at most. */
export const DHT_PROVIDE_BATCH = 256

/**
 * New CIDs (fresh slot heads, snapshot roots) waiting to be announced at once. An import of many
 * tokens makes more; the excess is dropped here and announced by the next run instead.
 */
export const DHT_PROVIDE_QUEUE_MAX = 1024

/** How long one announcement may take before it counts as failed. */
export const DHT_PROVIDE_TIMEOUT_MS = 60_000

/**
 * How long an IPNS record is valid (its EOL). Kubo's default record lifetime is 48 h; a node that
 * is off longer than this stops resolving until it republishes.
 */
export const IPNS_RECORD_LIFETIME_MS = 48 * 60 * 60 * 1000

/** The TTL written in IPNS records: how long resolvers may cache the answer (Kubo's default, 1 h). */
export const IPNS_RECORD_TTL_MS = 60 * 60 * 1000

/** How often the node signs its IPNS records again (a new EOL, the same value and sequence) and puts them on the DHT. */
export const IPNS_REPUBLISH_INTERVAL_MS = 4 * 60 * 60 * 1000

/** How long putting one IPNS record on the DHT may take. */
export const IPNS_PUBLISH_TIMEOUT_MS = 60_000

/** Names (one per collection) a node keeps: each is republished periodically, so they are bounded. */
export const MAX_IPNS_NAMES = 1000

/** The file (in the data dir) listing the node's IPNS names and their latest records; the keys themselves are sealed in the credentials file. */
export const IPNS_NAMES_FILE = 'ipns-names.json'

/** An IPNS names file larger than this is not one: refused rather than read. */
export const MAX_IPNS_NAMES_FILE_BYTES = 4 * 1024 * 1024
