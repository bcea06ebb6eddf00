import type { Database, Statement } from 'better-sqlite3'
import type { TransactionRow } from './records.js'

/**
 * Convergence: every node that holds the same set of transactions ends with the same slots,
 * bindings, receipts and blocks, as if it had applied them one at a time in canonical order,
 * ascending (timestamp, hash), whatever order they arrived in.
 *
 * The validator applies pending transactions in arrival order (seq). A transaction that arrives
 * "late" (its scope already holds one later in canonical order) would be applied after it, so
 * storing it rewinds its scope in the same SQLite transaction: the scope's slots (and a
 * collection's binding) and receipts are deleted (what on_mint wrote is put back: it is no
 * transaction's), and all its transactions are queued again, in
 * canonical order, behind everything pending. The validator then applies them as usual. The scope
 * is what the late transaction's outcome, and what it changes, can reach:
 * - a binding: every transaction of its collection (they all read the binding);
 * - metadata or clone behind a later binding of its collection: the collection;
 * - metadata or clone behind a later transaction of its own token (data_key): the token, unless
 *   the token's history starts before one of the collection's bindings, which a token rewind
 *   would apply again after that binding: then the collection.
 */

/** The fields of a transaction that place it in canonical order and in its scopes. */
export type PlacedTransaction = Pick<TransactionRow, 'hash' | 'method' | 'token_key' | 'data_key' | 'timestamp'>

/** A scope set back to pending and queued again; readers drop what they cached of it. */
export interface Rewind {
  token_key: string
  /** The token rewound, or undefined when the whole collection (and its binding) was. */
  data_key?: string
  /** Transactions queued again. */
  transactions: number
}

/** Canonical order: by signed timestamp, then by hash (compared as strings, as SQLite does for ASCII). */
export function compareCanonical (a: Pick<TransactionRow, 'timestamp' | 'hash'>, b: Pick<TransactionRow, 'timestamp' | 'hash'>): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0
}

/** The scopes a batch of stored transactions must rewind: gathered while storing, run once at its end. */
export class RewindPlan {
  readonly collections = new Set<string>()
  /** data_key → token_key */
  readonly tokens = new Map<string, string>()

  get empty (): boolean {
    return this.collections.size === 0 && this.tokens.size === 0
  }
}

/** The statements of convergence; call everything inside the db.transaction that stores the transactions. */
export class Convergence {
  private readonly laterInCollection: Statement
  private readonly laterBinding: Statement
  private readonly laterOfMetadata: Statement
  private readonly earliestOfToken: Statement
  private readonly ofCollection: Statement
  private readonly ofToken: Statement
  private readonly deleteSlotsOfCollection: Statement
  private readonly deleteSlotsOfToken: Statement
  private readonly deleteBinding: Statement
  private readonly restoreMintsOfCollection: Statement
  private readonly restoreMintsOfToken: Statement
  private readonly deleteReceipt: Statement
  private readonly lastSeq: Statement
  private readonly requeue: Statement
  private readonly raiseSequence: Statement

  constructor (db: Database) {
    // Each is one seek into a (…, timestamp, hash) index (migrations 6 and 7); row values compare
    // lexicographically, exactly the canonical order.
    this.laterInCollection = db.prepare('SELECT 1 FROM transactions WHERE token_key = ? AND (timestamp, hash) > (?, ?) LIMIT 1').pluck()
    this.laterBinding = db.prepare("SELECT 1 FROM transactions WHERE token_key = ? AND method = 'contract' AND (timestamp, hash) > (?, ?) LIMIT 1").pluck()
    // Both questions a metadata transaction asks, in one call: it is asked for every one stored.
    this.laterOfMetadata = db.prepare(`SELECT
      EXISTS (SELECT 1 FROM transactions WHERE token_key = @token_key AND method = 'contract' AND (timestamp, hash) > (@timestamp, @hash)) AS binding,
      EXISTS (SELECT 1 FROM transactions WHERE data_key = @data_key AND (timestamp, hash) > (@timestamp, @hash)) AS token`)
    this.earliestOfToken = db.prepare('SELECT timestamp, hash FROM transactions WHERE data_key = ? ORDER BY timestamp, hash LIMIT 1')
    this.ofCollection = db.prepare('SELECT hash, status FROM transactions WHERE token_key = ? ORDER BY timestamp, hash')
    this.ofToken = db.prepare('SELECT hash, status FROM transactions WHERE data_key = ? ORDER BY timestamp, hash')
    this.deleteSlotsOfCollection = db.prepare('DELETE FROM slots WHERE token_key = ?')
    this.deleteSlotsOfToken = db.prepare('DELETE FROM slots WHERE data_key = ?')
    this.deleteBinding = db.prepare('DELETE FROM contract_bindings WHERE token_key = ?')
    // What on_mint wrote (mint_writes) is no transaction's, so applying the scope's transactions
    // again would not bring it back: each slot's newest mint write is put back first.
    const restore = (where: string): string => `INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      SELECT data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, mint_hash, block_time FROM mint_writes m
      WHERE ${where} AND m.rowid = (SELECT n.rowid FROM mint_writes n WHERE n.data_key = m.data_key AND n.meta_contract_id = m.meta_contract_id
        AND n.public_key = m.public_key AND n.alias = m.alias AND n.version = m.version ORDER BY n.block_number DESC, n.log_index DESC, n.batch_index DESC, n.ord DESC LIMIT 1)`
    this.restoreMintsOfCollection = db.prepare(restore('m.token_key = ?'))
    this.restoreMintsOfToken = db.prepare(restore('m.data_key = ?'))
    this.deleteReceipt = db.prepare('DELETE FROM receipt_rows WHERE seq = (SELECT seq FROM transactions WHERE hash = ?)')
    // AUTOINCREMENT never hands out a seq at or below the largest one ever used, so taking the
    // larger of the table's and sqlite_sequence's keeps both new rows and requeued ones behind.
    this.lastSeq = db.prepare("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'transactions'), 0), coalesce((SELECT max(seq) FROM transactions), 0))").pluck()
    this.requeue = db.prepare("UPDATE transactions SET seq = ?, status = 'pending' WHERE hash = ?")
    this.raiseSequence = db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'transactions'")
  }

  /** Right after `tx` is stored: adds to `plan` the scope whose canonical order it breaks, if any. */
  place (tx: PlacedTransaction, plan: RewindPlan): void {
    if (plan.collections.has(tx.token_key)) return
    if (tx.method === 'contract') {
      if (this.laterInCollection.get(tx.token_key, tx.timestamp, tx.hash) !== undefined) plan.collections.add(tx.token_key)
      return
    }
    const later = this.laterOfMetadata.get({ token_key: tx.token_key, data_key: tx.data_key, timestamp: tx.timestamp, hash: tx.hash }) as { binding: 0 | 1, token: 0 | 1 }
    if (later.binding === 1) plan.collections.add(tx.token_key)
    else if (later.token === 1) plan.tokens.set(tx.data_key, tx.token_key)
  }

  /** Rewinds the plan's scopes, a collection's tokens with it. Inside the db.transaction that stored them. */
  rewind (plan: RewindPlan): Rewind[] {
    for (const [dataKey, tokenKey] of plan.tokens) {
      if (plan.collections.has(tokenKey)) continue
      // Applied again behind every binding, the token's transactions older than a binding would
      // see it: only the collection's order holds them.
      const first = this.earliestOfToken.get(dataKey) as { timestamp: number, hash: string } | undefined
      if (first !== undefined && this.laterBinding.get(tokenKey, first.timestamp, first.hash) !== undefined) plan.collections.add(tokenKey)
    }
    const rewinds: Rewind[] = []
    for (const tokenKey of plan.collections) {
      const transactions = this.queueAgain(this.ofCollection.all(tokenKey) as Array<{ hash: string, status: string }>)
      this.deleteSlotsOfCollection.run(tokenKey)
      this.restoreMintsOfCollection.run(tokenKey)
      this.deleteBinding.run(tokenKey)
      rewinds.push({ token_key: tokenKey, transactions })
    }
    for (const [dataKey, tokenKey] of plan.tokens) {
      if (plan.collections.has(tokenKey)) continue
      const transactions = this.queueAgain(this.ofToken.all(dataKey) as Array<{ hash: string, status: string }>)
      this.deleteSlotsOfToken.run(dataKey)
      this.restoreMintsOfToken.run(dataKey)
      rewinds.push({ token_key: tokenKey, data_key: dataKey, transactions })
    }
    return rewinds
  }

  /** Sets transactions (given in canonical order) back to pending, behind everything queued. */
  private queueAgain (rows: Array<{ hash: string, status: string }>): number {
    let seq = this.lastSeq.get() as number
    for (const { hash, status } of rows) {
      if (status !== 'pending') this.deleteReceipt.run(hash)
      this.requeue.run(++seq, hash)
    }
    this.raiseSequence.run(seq)
    return rows.length
  }
}
