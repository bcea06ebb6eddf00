import type { Database, Statement } from 'better-sqlite3'
import type { TransactionRequest } from '../signing/index.js'
import { ledgerReads } from '../tokens/index.js'
import { SNAPSHOT_PAGE_ROWS, SNAPSHOT_TRANSACTION_ROWS } from './constants.js'
import type { ExportRequest } from './types.js'

/** A pin as the export keeps it. */
export interface PinRow {
  cid: string
  recursive: number
  name: string
}

/** A user-deployed contract the export carries. */
export interface ContractRow {
  meta_contract_id: string
  name: string
  cid: string
}


const TRANSACTION_COLUMNS = 'method, chain_id, token_address, token_id, meta_contract_id, alias, version, public_key, nonce, timestamp, data, mcdata, signature'

/** Each snapshot gets its own TEMP tables, so exports running side by side never mix. */
let nextSnapshot = 0

/**
 * What one export covers, fixed at one instant: the applied transactions in canonical order
 * (timestamp, hash), the slot heads and the pins, copied into TEMP tables of the node's one
 * connection in a single SQLite transaction. The export then streams from them, page by page, so
 * memory stays flat however large the node, and writes that land while it runs (the export takes
 * a while) neither tear it nor change what it holds. TEMP tables spill to a temporary file; they
 * go with `drop()`, or with the connection if the node stops first.
 */
export class ExportSnapshot {
  readonly transactions: number
  readonly heads: number
  readonly pins: number
  readonly contracts: ContractRow[]
  private readonly prefix: string
  private readonly db: Database
  private readonly pageOfTransactions: Statement
  private readonly cidsOfTransactions: Statement
  private readonly setTransactionCid: Statement
  private readonly pageOfHeads: Statement
  private readonly pageOfPins: Statement
  private readonly markSeen: Statement
  private dropped = false

  constructor (db: Database, request: ExportRequest, tokenKeyOf: (dataKey: string) => string) {
    this.db = db
    this.prefix = `temp.export_${++nextSnapshot}`
    const t = this.prefix
    db.exec(`CREATE TABLE ${t}_tx (hash TEXT NOT NULL, block_cid BLOB);
      CREATE TABLE ${t}_heads (cid TEXT NOT NULL);
      CREATE TABLE ${t}_pins (cid TEXT NOT NULL, recursive INTEGER NOT NULL, name TEXT NOT NULL);
      CREATE TABLE ${t}_seen (cid BLOB PRIMARY KEY NOT NULL) WITHOUT ROWID;`)
    const { dataKey, tokenKey } = request
    const reads = ledgerReads(db)
    // Rowids follow insertion, so each table keeps the order its SELECT gives.
    const fill = db.transaction(() => {
      if (dataKey !== undefined) {
        reads.fillExport(t, { dataKey, tokenKey: tokenKey ?? tokenKeyOf(dataKey) })
      } else if (tokenKey !== undefined) {
        reads.fillExport(t, { tokenKey })
      } else {
        reads.fillExport(t, {})
        // Only a whole-node export carries pins: they belong to no collection.
        db.prepare(`INSERT INTO ${t}_pins (cid, recursive, name) SELECT cid, recursive, name FROM pins ORDER BY cid`).run()
      }
      if (request.omit !== undefined) this.leaveOut(t, request.omit)
      // The deployed (not built-in) contracts the transactions name; every one for a whole node.
      const contracts = dataKey === undefined && tokenKey === undefined
        ? db.prepare('SELECT meta_contract_id, name, cid FROM meta_contracts WHERE builtin = 0 ORDER BY meta_contract_id').all()
        : db.prepare(`SELECT meta_contract_id, name, cid FROM meta_contracts WHERE builtin = 0 AND meta_contract_id IN
            (${reads.contractsOfExport(t)}) ORDER BY meta_contract_id`).all()
      const count = (table: string): number => db.prepare(`SELECT count(*) FROM ${t}_${table}`).pluck().get() as number
      return { contracts: contracts as ContractRow[], transactions: count('tx'), heads: count('heads'), pins: count('pins') }
    })
    try {
      const filled = fill()
      this.contracts = filled.contracts
      this.transactions = filled.transactions
      this.heads = filled.heads
      this.pins = filled.pins
    } catch (err) {
      this.drop()
      throw err
    }
    // Rowids run 1…n in canonical order: the table was filled once, in that order.
    this.pageOfTransactions = reads.exportTransactionPage(t, TRANSACTION_COLUMNS.split(', '), SNAPSHOT_TRANSACTION_ROWS)
    this.cidsOfTransactions = db.prepare(`SELECT block_cid FROM ${t}_tx WHERE rowid > ? AND rowid <= ? ORDER BY rowid`).pluck()
    this.setTransactionCid = db.prepare(`UPDATE ${t}_tx SET block_cid = ? WHERE rowid = ?`)
    this.pageOfHeads = db.prepare(`SELECT rowid, cid FROM ${t}_heads WHERE rowid > ? ORDER BY rowid LIMIT ${SNAPSHOT_PAGE_ROWS}`)
    this.pageOfPins = db.prepare(`SELECT rowid, cid, recursive, name FROM ${t}_pins WHERE rowid > ? ORDER BY rowid LIMIT ${SNAPSHOT_PAGE_ROWS}`)
    this.markSeen = db.prepare(`INSERT INTO ${t}_seen (cid) VALUES (?) ON CONFLICT (cid) DO NOTHING`)
  }

  /**
   * Drops what `omit` names. The tables are filled again in their order, so rowids still run
   * 1…n (the pages below count on it): an emptied table numbers from 1 again.
   */
  private leaveOut (t: string, omit: NonNullable<ExportRequest['omit']>): void {
    const db = this.db
    const keep = (table: string, column: string, dropped: (value: string) => boolean): void => {
      const values = db.prepare(`SELECT ${column} FROM ${t}_${table} ORDER BY rowid`).pluck().all() as string[]
      const kept = values.filter(v => !dropped(v))
      if (kept.length === values.length) return
      db.prepare(`DELETE FROM ${t}_${table}`).run()
      const insert = db.prepare(`INSERT INTO ${t}_${table} (${column}) VALUES (?)`)
      for (const v of kept) insert.run(v)
    }
    keep('tx', 'hash', hash => omit.transaction(hash))
    keep('heads', 'cid', cid => omit.head(cid))
  }

  /**
   * The signed requests of transactions `from` + 1 to `to` (1-based, canonical order), with the
   * position of each. By default all of them.
   */
  * transactionRequests (from = 0, to = this.transactions): Generator<{ position: number, request: TransactionRequest }> {
    let after = from
    for (;;) {
      const rows = this.pageOfTransactions.all(after, to) as Array<TransactionRequest & { rowid: number }>
      for (const { rowid, ...request } of rows) {
        after = rowid
        yield { position: rowid, request }
      }
      if (rows.length < SNAPSHOT_TRANSACTION_ROWS) return
    }
  }

  /**
   * Keeps the CID of each transaction's block beside it (`blockCid` makes them, in canonical
   * order), so the export can link a page of transactions before it writes them, holding one
   * page of CIDs rather than the blocks.
   */
  recordTransactionCids (blockCid: (request: TransactionRequest) => Uint8Array): void {
    let batch: Array<[Uint8Array, number]> = []
    const save = this.db.transaction((rows: Array<[Uint8Array, number]>) => { for (const [cid, position] of rows) this.setTransactionCid.run(cid, position) })
    for (const { position, request } of this.transactionRequests()) {
      batch.push([blockCid(request), position])
      if (batch.length === SNAPSHOT_TRANSACTION_ROWS) {
        save(batch)
        batch = []
      }
    }
    save(batch)
  }

  /** The recorded block CIDs (bytes) of transactions `from` + 1 to `to`. */
  transactionCids (from: number, to: number): Uint8Array[] {
    return this.cidsOfTransactions.all(from, to) as Uint8Array[]
  }

  * headCids (): Generator<string> {
    for (const row of this.rows<{ cid: string }>(this.pageOfHeads)) yield row.cid
  }

  * pinRows (): Generator<PinRow> {
    yield * this.rows<PinRow>(this.pageOfPins)
  }

  /** Marks a block as written; false if it was already (a CAR holds each block once). */
  firstTime (cid: Uint8Array): boolean {
    return this.markSeen.run(cid).changes > 0
  }

  /** Drops the TEMP tables. Safe to call more than once, and after the node stopped. */
  drop (): void {
    if (this.dropped) return
    this.dropped = true
    if (!this.db.open) return
    for (const table of ['tx', 'heads', 'pins', 'seen']) this.db.exec(`DROP TABLE IF EXISTS ${this.prefix}_${table}`)
  }

  /** A table's rows in order, one page per query: the statement is never left open between rows. */
  private * rows<T> (page: Statement): Generator<T> {
    let after = 0
    for (;;) {
      const rows = page.all(after) as Array<T & { rowid: number }>
      for (const row of rows) {
        const { rowid, ...rest } = row
        after = rowid
        yield rest as T
      }
      if (rows.length < SNAPSHOT_PAGE_ROWS) return
    }
  }
}
