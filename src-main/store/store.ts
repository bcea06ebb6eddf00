import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Logger } from '@libp2p/logger'
import { DATABASE_FILE, DATABASE_FILE_MODE, LOCK_TIMEOUT_MS, WAL_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES } from './constants.js'
import { MigrationError, StoreCorruptError, StoreLockedError, StoreNotOpenError, StoreVersionError } from './errors.js'
import type { Migration } from './migrations.js'

export interface StoreInit {
  /** Folder that holds the database file; created if missing. */
  dataDir: string
  /** Schema steps to apply; defaults to the product's migrations. Tests pass their own. */
  migrations?: readonly Migration[]
}

export interface StoreComponents {
  log: Logger
}

export interface Store {
  readonly path: string
  /** Schema version of the open database. */
  readonly schemaVersion: number
  /** The open connection. Throws StoreNotOpenError when stopped. */
  readonly db: Database.Database
  isStarted(): boolean
  start(): void
  stop(): void
  /** SQLite's own consistency check: 'ok' when the file is sound. */
  integrityCheck(): string
  getSetting(key: string): string | undefined
  setSetting(key: string, value: string): void
  /**
   * A number that changes whenever anything in the database may have: after every row this
   * connection inserts, updates or deletes (triggers' included; the node holds the file
   * exclusively, so no other connection writes), and when the store is opened again. Caches of
   * reads compare it to drop what they hold once it moves.
   */
  dataVersion(): number
}

/** SQLite result codes that mean "someone else holds the lock". */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED'])
/** SQLite result codes that mean "this file is not a usable database". */
const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT'])

export class SqliteStore implements Store {
  readonly path: string
  private readonly migrations: readonly Migration[]
  private readonly log: Logger
  // Held for the node's lifetime: better-sqlite3 closes a connection when it is collected,
  // which would silently drop the exclusive lock.
  private connection: Database.Database | undefined
  private version = 0
  /** How many times a connection was opened, so versions of two connections never meet. */
  private opens = 0
  private changes: Database.Statement | undefined

  constructor (components: StoreComponents, init: StoreInit & { migrations: readonly Migration[] }) {
    this.path = path.join(init.dataDir, DATABASE_FILE)
    this.migrations = init.migrations
    this.log = components.log
  }

  get db (): Database.Database {
    if (this.connection === undefined) throw new StoreNotOpenError()
    return this.connection
  }

  get schemaVersion (): number {
    return this.version
  }

  isStarted (): boolean {
    return this.connection !== undefined
  }

  start (): void {
    if (this.connection !== undefined) return
    // Owner-only: the data dir holds the node's keys and everything it was told.
    fs.mkdirSync(path.dirname(this.path), { recursive: true, mode: 0o700 })
    // Created owner-only before SQLite opens it: SQLite gives the WAL and shared-memory files the
    // mode of the database file, whatever the process umask.
    fs.closeSync(fs.openSync(this.path, 'a', DATABASE_FILE_MODE))
    const db = new Database(this.path, { timeout: LOCK_TIMEOUT_MS })
    try {
      this.lockAndMigrate(db)
    } catch (err) {
      db.close()
      throw this.translate(err)
    }
    this.connection = db
    this.opens++
    this.changes = db.prepare('SELECT total_changes()').pluck()
    this.log('opened %s at schema version %d', this.path, this.version)
  }

  stop (): void {
    if (this.connection === undefined) return
    const db = this.connection
    this.connection = undefined
    this.changes = undefined
    // Fold the WAL back into the main file so a closed data dir is one self-contained file.
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    this.log('closed %s', this.path)
  }

  dataVersion (): number {
    if (this.changes === undefined) throw new StoreNotOpenError()
    // 2^40 changes a connection is more than a node makes in its life; 2^13 opens keep it below 2^53.
    return this.opens * 2 ** 40 + (this.changes.get() as number)
  }

  integrityCheck (): string {
    const rows = this.db.pragma('integrity_check') as Array<{ integrity_check: string }>
    return rows.map(r => r.integrity_check).join('\n')
  }

  getSetting (key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
    return row?.value
  }

  setSetting (key: string, value: string): void {
    this.db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(key, value, Date.now())
  }

  private lockAndMigrate (db: Database.Database): void {
    // EXCLUSIVE before WAL: the node then holds the file lock for as long as it runs (a second
    // node gets SQLITE_BUSY at once), and the OS drops the lock if the process dies, even by kill -9.
    db.pragma('locking_mode = EXCLUSIVE')
    db.pragma('journal_mode = WAL')
    // FULL: an acknowledged write is on disk before we answer, which survives power loss, not only a crash.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    // Statement journals in memory: the kept totals (migration 15) make every write statement
    // touch a page the transaction already changed, whose old copy a temp file took otherwise,
    // one write syscall per statement (most of what the triggers cost).
    db.pragma('temp_store = MEMORY')
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`)
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
    // Taking a write lock now makes the exclusive lock real before any caller relies on it.
    db.exec('BEGIN IMMEDIATE; COMMIT')

    const found = db.pragma('user_version', { simple: true }) as number
    const supported = this.migrations.length
    if (found > supported) throw new StoreVersionError(this.path, found, supported)

    let vacuum = false
    for (const migration of this.migrations.slice(found)) {
      try {
        db.transaction(() => {
          if (migration.up(db, { dataDir: path.dirname(this.path) })?.vacuum === true) vacuum = true
          db.pragma(`user_version = ${migration.version}`)
        }).immediate()
      } catch (err) {
        throw new MigrationError(migration.version, err)
      }
      this.log('migrated %s to schema version %d (%s)', this.path, migration.version, migration.description)
    }
    if (vacuum) {
      // A migration removed secrets (no free page may keep them) or freed much space (given back
      // to the disk): rebuild the file, then empty the WAL.
      db.exec('VACUUM')
      db.pragma('wal_checkpoint(TRUNCATE)')
      this.log('rebuilt %s after a migration removed secrets or freed space', this.path)
    }
    this.version = db.pragma('user_version', { simple: true }) as number
  }

  private translate (err: unknown): unknown {
    const code = (err as { code?: unknown }).code
    if (typeof code === 'string' && BUSY_CODES.has(code)) return new StoreLockedError(this.path)
    if (typeof code === 'string' && CORRUPT_CODES.has(code)) return new StoreCorruptError(this.path, (err as Error).message)
    return err
  }
}
