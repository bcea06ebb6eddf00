import type { Database } from 'better-sqlite3'

/**
 * One schema step. `version` is the schema version after it runs; versions are 1, 2, 3… with
 * no gaps. A migration runs inside the runner's transaction, so it must stay synchronous.
 */
export interface Migration {
  readonly version: number
  readonly description: string
  up(db: Database): void
}

/** Every migration, in order. Append only: a released migration never changes. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'node settings',
    up (db) {
      db.exec(`
        CREATE TABLE settings (
          key        TEXT PRIMARY KEY NOT NULL,
          value      TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
      `)
    },
  },
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length
