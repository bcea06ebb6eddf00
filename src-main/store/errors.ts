/** Another process (usually another Lineage node) holds the database. */
export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError'
  constructor (readonly path: string) {
    super(`A Lineage node or import is already running with this data (database ${path} is locked). Wait for the import to finish or stop the node first, or choose another --data-dir.`)
  }
}

/** The database was written by a newer Lineage version than this one. */
export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError'
  constructor (readonly path: string, readonly found: number, readonly supported: number) {
    super(`The database ${path} has schema version ${found}, but this Lineage version understands up to ${supported}. Update Lineage Desktop to open it.`)
  }
}

/** The file is not a SQLite database, or SQLite reports it damaged. */
export class StoreCorruptError extends Error {
  override readonly name = 'StoreCorruptError'
  constructor (readonly path: string, detail: string) {
    super(`The database ${path} cannot be read (${detail}). Restore it from a backup or move it away to start fresh.`)
  }
}

/** A schema migration failed; the database was left at its previous version. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError'
  constructor (readonly version: number, cause: unknown) {
    super(`Upgrading the database to schema version ${version} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}

/** The store was used before start() or after stop(). */
export class StoreNotOpenError extends Error {
  override readonly name = 'StoreNotOpenError'
  constructor () {
    super('The store is not open.')
  }
}
