import type { Database, Statement } from 'better-sqlite3'
import type { TransactionRow } from '../engine/index.js'
import { TOKEN_ORDER_SQL } from './constants.js'

/** A slot's head and key, as pins walk them. */
export interface SlotHeadRow {
  head_cid: string
  meta_contract_id: string
  public_key: string
  alias: string
  version: string
}

/** What a token card is built from: one slot of the token under its contract. */
export interface CardSlotRow {
  alias: string
  public_key: string
  version: string
  head_cid: string
  token_key: string
  token_id: string
  updated_at: number
}

/** A token of a collection with metadata under a contract, as a snapshot page lists it. */
export interface ContractTokenRow {
  token_id: string
  data_key: string
}

/** What an export of a token, a collection or the whole node carries of the ledger. */
export type ExportScope = { dataKey: string, tokenKey: string } | { tokenKey: string } | Record<string, never>

/**
 * The read model of the engine's tables (`transactions`, `slots`, `receipt_rows`,
 * `contract_bindings`; store migrations 5–10): every folder that reads them (pins, snapshots,
 * export, import, search, browse, replication, the DHT provider) asks here instead of writing SQL
 * against them, so a change to those tables has one place to look. The engine's validator and
 * convergence keep the write path. Statements are prepared once per connection (`ledgerReads(db)`
 * hands every caller the same instance) and are exposed as they are, so hot paths pay nothing
 * for the indirection.
 */
export class LedgerReads {
  /** Every slot head (GC roots). */
  readonly slotHeads: Statement<[], { head_cid: string }>
  /** A token's slot heads, in key order. */
  readonly slotHeadsOfToken: Statement<[string], SlotHeadRow>
  /** A token's slot heads under one contract, in key order. */
  readonly slotHeadsOfTokenContract: Statement<[string, string], SlotHeadRow>
  /** Slot heads newest first, after the key (updated_at, head_cid) of the last one read. */
  readonly slotHeadsNewestBefore: Statement<[number, string, number], { head_cid: string, updated_at: number }>
  /** A token's slots under a contract, as its card is built from them. */
  readonly cardSlots: Statement<[string, string], CardSlotRow>
  /** Tokens and contracts that have slots, in (data_key, meta_contract_id) order after a key. */
  readonly tokenContractsAfter: Statement<[string, string, number], { data_key: string, meta_contract_id: string }>
  /** 1 when a collection has any slot. */
  readonly collectionHasSlots: Statement<[string], number>
  /** The collection of a token that has slots. */
  readonly collectionOfToken: Statement<[string], string>
  /** Tokens of a collection with slots under a contract. */
  readonly tokensUnderContract: Statement<[string, string], number>
  /** A page of those tokens in numeric id order, after a sort key (tokens' tokenOrderKey). */
  readonly tokensUnderContractAfter: Statement<[string, string, string, number], ContractTokenRow>
  /** The contract bound to a collection. */
  readonly boundContract: Statement<[string], string>
  /** The chain and address a collection was bound with. */
  readonly boundCollection: Statement<[string], { chain_id: string, token_address: string }>
  /** A transaction by hash. */
  readonly transactionByHash: Statement<[string], TransactionRow>
  /** The collection of a transaction. */
  readonly collectionOfTransaction: Statement<[string], string>
  /** A transaction's signed timestamp. */
  readonly timestampOfTransaction: Statement<[string], number>
  /** Transactions of a collection (every status). */
  readonly transactionsOfCollection: Statement<[string], number>
  /** A collection's canonical keys [timestamp, hash] in a range; null bounds are open. */
  readonly canonicalKeys: Statement<[{ token_key: string, lo_t: number | null, lo_h: string | null, hi_t: number | null, hi_h: string | null }], [number, string]>
  /** Applied transactions after a key (timestamp, hash), up to a timestamp, in canonical order. */
  readonly appliedAfter: Statement<[number, string, number, number], TransactionRow>
  /** Pending transactions in queue order. */
  readonly pending: Statement<[number], TransactionRow>

  constructor (private readonly db: Database) {
    this.slotHeads = db.prepare('SELECT head_cid FROM slots')
    this.slotHeadsOfToken = db.prepare('SELECT head_cid, meta_contract_id, public_key, alias, version FROM slots WHERE data_key = ? ORDER BY meta_contract_id, public_key, alias, version')
    this.slotHeadsOfTokenContract = db.prepare('SELECT head_cid, meta_contract_id, public_key, alias, version FROM slots WHERE data_key = ? AND meta_contract_id = ? ORDER BY public_key, alias, version')
    this.slotHeadsNewestBefore = db.prepare(`SELECT head_cid, updated_at FROM slots WHERE (updated_at, head_cid) < (?, ?)
      ORDER BY updated_at DESC, head_cid DESC LIMIT ?`)
    this.cardSlots = db.prepare('SELECT alias, public_key, version, head_cid, token_key, token_id, updated_at FROM slots WHERE data_key = ? AND meta_contract_id = ?')
    this.tokenContractsAfter = db.prepare(`SELECT DISTINCT data_key, meta_contract_id FROM slots WHERE (data_key, meta_contract_id) > (?, ?)
      ORDER BY data_key, meta_contract_id LIMIT ?`)
    this.collectionHasSlots = db.prepare<[string], number>('SELECT 1 FROM slots WHERE token_key = ? LIMIT 1').pluck()
    this.collectionOfToken = db.prepare<[string], string>('SELECT token_key FROM slots WHERE data_key = ? LIMIT 1').pluck()
    this.tokensUnderContract = db.prepare<[string, string], number>('SELECT count(DISTINCT token_id) FROM slots WHERE token_key = ? AND meta_contract_id = ?').pluck()
    // Keyset paging in numeric token order over the slots_token_order index (migration 4), so
    // each page is one seek however deep the walk is.
    this.tokensUnderContractAfter = db.prepare(`SELECT token_id, min(data_key) AS data_key FROM slots
      WHERE token_key = ? AND meta_contract_id = ? AND ${TOKEN_ORDER_SQL} > ?
      GROUP BY ${TOKEN_ORDER_SQL} ORDER BY ${TOKEN_ORDER_SQL} LIMIT ?`)
    this.boundContract = db.prepare<[string], string>('SELECT meta_contract_id FROM contract_bindings WHERE token_key = ?').pluck()
    this.boundCollection = db.prepare('SELECT chain_id, token_address FROM contract_bindings WHERE token_key = ?')
    this.transactionByHash = db.prepare('SELECT * FROM transactions WHERE hash = ?')
    this.collectionOfTransaction = db.prepare<[string], string>('SELECT token_key FROM transactions WHERE hash = ?').pluck()
    this.timestampOfTransaction = db.prepare<[string], number>('SELECT timestamp FROM transactions WHERE hash = ?').pluck()
    this.transactionsOfCollection = db.prepare<[string], number>('SELECT count(*) FROM transactions WHERE token_key = ?').pluck()
    // Row values compare (timestamp, hash) exactly as canonical order does.
    this.canonicalKeys = db.prepare<[{ token_key: string, lo_t: number | null, lo_h: string | null, hi_t: number | null, hi_h: string | null }], [number, string]>(`SELECT timestamp, hash FROM transactions
      WHERE token_key = @token_key AND (@lo_t IS NULL OR (timestamp, hash) >= (@lo_t, @lo_h)) AND (@hi_t IS NULL OR (timestamp, hash) < (@hi_t, @hi_h))
      ORDER BY timestamp, hash`).raw()
    // A seek into transactions_applied_time (migration 10) after the key (timestamp, hash).
    this.appliedAfter = db.prepare(`SELECT * FROM transactions WHERE status = 'applied' AND (timestamp, hash) > (?, ?) AND timestamp <= ?
      ORDER BY timestamp, hash LIMIT ?`)
    this.pending = db.prepare("SELECT * FROM transactions WHERE status = 'pending' ORDER BY seq LIMIT ?")
  }

  /**
   * A page of transactions or slots matching a search. `where` and `order` are built by
   * lineage/search from its whitelisted columns (values travel in `params`); each shape is
   * prepared when asked, as the search always has.
   */
  search (table: 'transactions' | 'slots', where: string, order: string, params: ReadonlyArray<string | number>, limit: number, offset: number): unknown[] {
    const columns = table === 'transactions'
      ? '*'
      : 'data_key, token_key, token_id, meta_contract_id, public_key, alias, version, head_cid AS cid, loose, last_tx, updated_at'
    return this.db.prepare(`SELECT ${columns} FROM ${table === 'transactions' ? 'transactions' : 'slots'} ${where} ${order} LIMIT ? OFFSET ?`).all(...params, limit, offset)
  }

  /** How many slots match a search's `where` (see `search`). */
  searchCount (where: string, params: ReadonlyArray<string | number>): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM slots ${where}`).get(...params) as { n: number }).n
  }

  /**
   * Fills an export's TEMP tables `<prefix>_tx (hash)` and `<prefix>_heads (cid)` with the applied
   * transactions of the scope in canonical order (a token's own, with its collection's bindings,
   * which a replay needs first) and its distinct slot heads. Rowids follow insertion, so each
   * table keeps that order.
   */
  fillExport (prefix: string, scope: ExportScope): void {
    const applied = "status = 'applied'"
    if ('dataKey' in scope) {
      this.db.prepare(`INSERT INTO ${prefix}_tx (hash) SELECT hash FROM transactions WHERE ${applied} AND (data_key = ? OR (token_key = ? AND method = 'contract')) ORDER BY timestamp, hash`).run(scope.dataKey, scope.tokenKey)
      this.db.prepare(`INSERT INTO ${prefix}_heads (cid) SELECT DISTINCT head_cid FROM slots WHERE data_key = ? ORDER BY head_cid`).run(scope.dataKey)
    } else if ('tokenKey' in scope) {
      this.db.prepare(`INSERT INTO ${prefix}_tx (hash) SELECT hash FROM transactions WHERE token_key = ? AND ${applied} ORDER BY timestamp, hash`).run(scope.tokenKey)
      this.db.prepare(`INSERT INTO ${prefix}_heads (cid) SELECT DISTINCT head_cid FROM slots WHERE token_key = ? ORDER BY head_cid`).run(scope.tokenKey)
    } else {
      this.db.prepare(`INSERT INTO ${prefix}_tx (hash) SELECT hash FROM transactions WHERE ${applied} ORDER BY timestamp, hash`).run()
      this.db.prepare(`INSERT INTO ${prefix}_heads (cid) SELECT DISTINCT head_cid FROM slots ORDER BY head_cid`).run()
    }
  }

  /** The contracts the transactions listed in `<prefix>_tx` name (distinct). */
  contractsOfExport (prefix: string): string {
    return `SELECT DISTINCT x.meta_contract_id FROM ${prefix}_tx e JOIN transactions x ON x.hash = e.hash`
  }

  /** The rows of the transactions listed in `<prefix>_tx` from rowid `after` + 1 to `to`, `columns` of each. */
  exportTransactionPage (prefix: string, columns: readonly string[], limit: number): Statement<[number, number]> {
    return this.db.prepare(`SELECT e.rowid AS rowid, ${columns.map(c => `x.${c}`).join(', ')}
      FROM ${prefix}_tx e JOIN transactions x ON x.hash = e.hash WHERE e.rowid > ? AND e.rowid <= ? ORDER BY e.rowid LIMIT ${limit}`)
  }

  /** The CIDs of a TEMP table `table (cid)` that are no slot's head: how many, and the first `limit` in order. */
  notSlotHeads (table: string): { count: () => number, first: (limit: number) => string[] } {
    // One pass over the slots, not a lookup per head: slots have no index on head_cid.
    const notCurrent = `FROM ${table} e LEFT JOIN (SELECT DISTINCT head_cid FROM slots) s ON s.head_cid = e.cid WHERE s.head_cid IS NULL`
    return {
      count: () => this.db.prepare(`SELECT count(*) ${notCurrent}`).pluck().get() as number,
      first: limit => this.db.prepare(`SELECT e.cid ${notCurrent} ORDER BY e.cid LIMIT ?`).pluck().all(limit) as string[],
    }
  }
}

const instances = new WeakMap<Database, LedgerReads>()

/** The read model of a connection, made (and its statements prepared) on the first call. */
export function ledgerReads (db: Database): LedgerReads {
  let reads = instances.get(db)
  if (reads === undefined) {
    reads = new LedgerReads(db)
    instances.set(db, reads)
  }
  return reads
}
