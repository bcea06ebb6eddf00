import type Database from 'better-sqlite3'
import type { CID } from 'multiformats/cid'
import type { BlockEntry } from './blockstore.js'
import { StoreNotOpenError } from './errors.js'
import type { Store } from './store.js'

/**
 * Blocks held back until every one of them is known good, then stored in one SQLite
 * transaction. They wait in a TEMP table of this connection: SQLite keeps it in its page cache
 * and spills to a temporary file, so memory stays bounded however large the batch, and a crash
 * or a discarded batch leaves nothing in the database file.
 */
export interface BlockStaging {
  /** Stages blocks (a block staged twice is kept once). */
  addSync(blocks: Iterable<BlockEntry>): void
  /** Moves every staged block into the blockstore in one transaction; returns how many were new. */
  commitSync(): number
  /** Drops the staged blocks. Safe to call more than once, and after commitSync. */
  discardSync(): void
}

/** Each staging gets its own table, so imports running side by side never see each other's blocks. */
let nextTable = 0

/** Used through SqliteBlockstore.createStaging(), which owns the `blocks` table this fills. */
export function createBlockStaging (store: Store): BlockStaging {
  const db = store.db
  const table = `temp.block_staging_${++nextTable}`
  db.exec(`CREATE TABLE ${table} (multihash BLOB PRIMARY KEY NOT NULL, codec INTEGER NOT NULL, bytes BLOB NOT NULL)`)
  const insert = db.prepare<[Uint8Array, number, Uint8Array]>(`INSERT INTO ${table} (multihash, codec, bytes) VALUES (?, ?, ?) ON CONFLICT (multihash) DO NOTHING`)
  // Mirrors SqliteBlockstore.putSync for a whole table at once; `WHERE true` lets SQLite parse
  // the upsert clause after a SELECT.
  const move = db.prepare<[number]>(`INSERT INTO main.blocks (multihash, codec, bytes, size, created_at)
    SELECT multihash, codec, bytes, length(bytes), ? FROM ${table} WHERE true ORDER BY rowid
    ON CONFLICT (multihash) DO NOTHING`)
  let open = true

  const stage = (cid: CID, bytes: Uint8Array): void => { insert.run(cid.multihash.bytes, cid.code, bytes) }
  // The TEMP table lives and dies with this connection: a stopped (or restarted) store lost it.
  const connection = (): Database.Database => {
    if (store.db !== db) throw new StoreNotOpenError()
    return db
  }

  const discard = (): void => {
    if (!open) return
    open = false
    // A closed connection (the store stopped mid-import) took its TEMP tables with it.
    if (db.open) db.exec(`DROP TABLE IF EXISTS ${table}`)
  }

  return {
    addSync (blocks) {
      connection().transaction(() => { for (const { cid, bytes } of blocks) stage(cid, bytes) })()
    },
    commitSync () {
      const added = connection().transaction(() => move.run(Date.now()).changes)()
      discard()
      return added
    },
    discardSync: discard,
  }
}
