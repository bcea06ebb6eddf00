/** File name of the node's database inside its data dir. */
export const DATABASE_FILE = 'lineage.sqlite'
/** Owner read/write only; the WAL and shared-memory files take the same mode. */
export const DATABASE_FILE_MODE = 0o600

/**
 * Milliseconds SQLite waits for a lock before giving up. Zero: the node holds its database
 * exclusively, so a wait could only mean another node owns it, and waiting would hide that.
 */
export const LOCK_TIMEOUT_MS = 0

/**
 * WAL pages (4 KiB each) after which a commit copies the WAL back into the database file.
 * SQLite's default, 1000, checkpoints at nearly every commit of a bulk write, and each checkpoint
 * copies (and fsyncs) the same hot index pages again: one per checkpoint is enough. Durability
 * does not depend on it (a commit is fsynced in the WAL); a crash replays at most this much on open.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000

/** After a checkpoint, a WAL file larger than this on disk is truncated back to it. */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024
