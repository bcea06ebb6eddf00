/** File name of the node's database inside its data dir. */
export const DATABASE_FILE = 'lineage.sqlite'

/**
 * Milliseconds SQLite waits for a lock before giving up. Zero: the node holds its database
 * exclusively, so a wait could only mean another node owns it, and waiting would hide that.
 */
export const LOCK_TIMEOUT_MS = 0
