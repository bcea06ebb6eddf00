import type { Database, Statement } from 'better-sqlite3'
import { ledgerReads } from '../tokens/index.js'
import type { SlotHeadRow } from '../tokens/index.js'

/** A row of the `pins` table (store migration 3). */
export interface PinRow {
  cid: string
  recursive: 0 | 1
  name: string
  created_at: number
}

/** A row of the `blocks` table without its bytes: what the sweep needs to decide and report. */
export interface BlockMetaRow {
  rowid: number
  multihash: Buffer
  codec: number
  size: number
}

/**
 * The tables pins and GC read and write, through statements prepared once per connection.
 * Pins own `pins`; they read slots through the ledger's read model and `meta_contracts` (GC roots), and GC reads and
 * deletes `blocks` rows directly: the sweep must delete inside its own synchronous transaction,
 * which the blockstore's async `delete` cannot, and must not load block bytes just to list them.
 */
export class PinTables {
  readonly upsertPin: Statement<{ cid: string, recursive: 0 | 1, name: string | null, created_at: number }>
  readonly pinByCid: Statement<[string], PinRow>
  readonly allPins: Statement<[], PinRow>
  readonly removePin: Statement<[string]>
  readonly slotHeads: Statement<[], { head_cid: string }>
  readonly slotsOfToken: Statement<[string], SlotHeadRow>
  readonly slotsOfTokenContract: Statement<[string, string], SlotHeadRow>
  readonly contractCids: Statement<[], { cid: string }>
  readonly blockPage: Statement<[number, number], BlockMetaRow>
  readonly removeBlock: Statement<[Uint8Array]>

  constructor (readonly db: Database) {
    // Pinning again is a no-op, except that it may make a direct pin recursive (never the reverse:
    // a narrower second request must not silently unprotect a DAG) and may rename it.
    this.upsertPin = db.prepare(`INSERT INTO pins (cid, recursive, name, created_at) VALUES (@cid, @recursive, coalesce(@name, ''), @created_at)
      ON CONFLICT (cid) DO UPDATE SET recursive = max(recursive, excluded.recursive), name = coalesce(@name, name)`)
    this.pinByCid = db.prepare('SELECT cid, recursive, name, created_at FROM pins WHERE cid = ?')
    this.allPins = db.prepare('SELECT cid, recursive, name, created_at FROM pins ORDER BY created_at, cid')
    this.removePin = db.prepare('DELETE FROM pins WHERE cid = ?')
    const reads = ledgerReads(db)
    this.slotHeads = reads.slotHeads
    this.slotsOfToken = reads.slotHeadsOfToken
    this.slotsOfTokenContract = reads.slotHeadsOfTokenContract
    this.contractCids = db.prepare('SELECT cid FROM meta_contracts')
    this.blockPage = db.prepare('SELECT rowid, multihash, codec, size FROM blocks WHERE rowid > ? ORDER BY rowid LIMIT ?')
    this.removeBlock = db.prepare('DELETE FROM blocks WHERE multihash = ?')
  }
}
