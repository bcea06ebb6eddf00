import type { Database, Statement } from 'better-sqlite3'
import type { BindingRow, SlotRow } from '../engine/index.js'
import { TOKEN_ORDER_SQL, TRIGRAM_SEARCH_MIN_DIGITS } from './constants.js'
import { ledgerReads } from './ledger-reads.js'

/** One token of a collection, as a list page names it. */
export interface TokenSummary {
  token_id: string
  data_key: string
  /** Slots the token has (every contract, writer, alias and version). */
  slots: number
  /** When one of its slots last moved, in milliseconds since the epoch. */
  updated_at: number
}

/** How the transactions that wrote to a token ended. */
export interface ReceiptCounts {
  total: number
  applied: number
  rejected: number
  /** When the newest receipt was written; null before the first. */
  last_at: number | null
}

/** The transaction behind a version, as far as this node knows it. */
export interface TransactionSummaryRow {
  data_key: string
  meta_contract_id: string
  public_key: string
  status: 'pending' | 'applied' | 'rejected'
}

/**
 * The read queries of tokens, collections and histories, prepared once. Reads only: every table
 * here is written by the engine's validator.
 */
export class TokenTables {
  private readonly slotsOfToken: Statement<[string], SlotRow>
  private readonly slotByKey: Statement<[string, string, string, string, string], SlotRow>
  private readonly bindingByToken: Statement<[string], BindingRow>
  private readonly receiptCounts: Statement<[{ dataKey: string }], ReceiptCounts & { pending: number }>
  private readonly tokenPage: Statement<[string, string, string, number], TokenSummary>
  private readonly slotsInOrder: Statement<[string, string, number], [string, string, number]>
  private readonly trigramPage: Statement<[string, string, string, string, number], TokenSummary & { total: number }>
  private readonly collectionTotal: Statement<[string], number>
  private readonly fragmentTotal: Statement<[string, string], number>
  private readonly trigramCount: Statement<[string, string, string], number>
  private readonly transactionByHash: Statement<[string], TransactionSummaryRow>

  constructor (readonly db: Database) {
    // Sorted here, not by an ORDER BY: though the primary key index already gives that order (no
    // sort in the plan), the clause made this statement cost about three times as much (20 µs a
    // call against 6, measured on a 100,000-token store).
    this.slotsOfToken = db.prepare<[string], SlotRow>('SELECT * FROM slots WHERE data_key = ?')
    this.slotByKey = db.prepare<[string, string, string, string, string], SlotRow>('SELECT * FROM slots WHERE data_key = ? AND meta_contract_id = ? AND public_key = ? AND alias = ? AND version = ?')
    this.bindingByToken = db.prepare<[string], BindingRow>('SELECT * FROM contract_bindings WHERE token_key = ?')
    // The token's receipts, found by the seqs its data_key index entries carry (no transaction
    // row is read), and its pending transactions: a transaction is pending exactly while it has no
    // receipt (the validator writes the receipt in the transaction that settles it; a requeue
    // deletes both). Subqueries, not a join of the same rows: 7.7 against 26 µs a token.
    this.receiptCounts = db.prepare<[{ dataKey: string }], ReceiptCounts & { pending: number }>(`SELECT count(*) AS total,
      coalesce(sum(status = 'applied'), 0) AS applied, coalesce(sum(status = 'rejected'), 0) AS rejected, max(timestamp) AS last_at,
      (SELECT count(*) FROM transactions INDEXED BY transactions_token_time WHERE data_key = @dataKey) - count(*) AS pending
      FROM receipt_rows WHERE seq IN (SELECT seq FROM transactions INDEXED BY transactions_token_time WHERE data_key = @dataKey)`)
    // Keyset paging: the cursor is the sort key of the last token of the previous page, so every
    // page is one seek into the slots_token_order index (migration 4), however deep it is.
    // This one filters by a fragment of 1 or 2 digits (in most ids, so a page is found early).
    // The filter reads the id from the index's own sort key (the digits after its two-digit
    // length), so an id that does not match costs an index entry, not a table row.
    this.tokenPage = db.prepare<[string, string, string, number], TokenSummary>(`SELECT token_id, min(data_key) AS data_key, count(*) AS slots, max(updated_at) AS updated_at
      FROM slots WHERE token_key = ? AND ${TOKEN_ORDER_SQL} > ? AND instr(substr(${TOKEN_ORDER_SQL}, 3), ?) > 0
      GROUP BY ${TOKEN_ORDER_SQL} ORDER BY ${TOKEN_ORDER_SQL} LIMIT ?`)
    // The same without a filter, as most pages are asked: slot rows in token order from the index
    // alone (store migration 17), made into tokens here: a GROUP BY over the same rows took
    // SQLite nearly twice as long (60 µs against 36 for 51 rows), and arrays cost less than objects.
    this.slotsInOrder = db.prepare<[string, string, number], [string, string, number]>(`SELECT token_id, data_key, updated_at
      FROM slots WHERE token_key = ? AND ${TOKEN_ORDER_SQL} > ? ORDER BY ${TOKEN_ORDER_SQL} LIMIT ?`).raw()
    // Totals are kept by triggers (store migration 15): one row each, where counting walked every
    // slot of the collection. A fragment of 1 or 2 digits has its count kept per collection.
    this.collectionTotal = db.prepare<[string], number>('SELECT tokens FROM collection_totals WHERE token_key = ?').pluck()
    this.fragmentTotal = db.prepare<[string, string], number>('SELECT tokens FROM token_id_fragments WHERE token_key = ? AND fragment = ?').pluck()
    // A fragment of 3 digits or more: the trigram index names the tokens (of every collection)
    // holding all its trigrams; instr keeps those holding the fragment itself. The cost follows
    // the matches, not the collection's size; the page is one sort of the matches after the cursor.
    const matches = `FROM token_id_trigrams f JOIN token_index t ON t.id = f.rowid
      WHERE token_id_trigrams MATCH ? AND t.token_key = ? AND instr(t.token_id, ?) > 0`
    const order = TOKEN_ORDER_SQL.replaceAll('token_id', 't.token_id')
    this.trigramCount = db.prepare<[string, string, string], number>(`SELECT count(*) ${matches}`).pluck()
    // One pass over the matches gives the page and the total (count(*) OVER () before the cursor
    // and the limit apply); the total is asked on its own only when the page is empty.
    this.trigramPage = db.prepare<[string, string, string, string, number], TokenSummary & { total: number }>(`SELECT s.token_id, min(s.data_key) AS data_key, count(*) AS slots, max(s.updated_at) AS updated_at, m.total
      FROM (SELECT data_key, sort_key, total FROM (SELECT t.data_key, ${order} AS sort_key, count(*) OVER () AS total ${matches})
            WHERE sort_key > ? ORDER BY sort_key LIMIT ?) m
      JOIN slots s ON s.data_key = m.data_key
      GROUP BY m.sort_key ORDER BY m.sort_key`)
    this.transactionByHash = db.prepare<[string], TransactionSummaryRow>('SELECT data_key, meta_contract_id, public_key, status FROM transactions WHERE hash = ?')
  }

  /** A token's slots in key order (meta_contract_id, public_key, alias, version), as SQLite sorts text. */
  slots (dataKey: string): SlotRow[] {
    const rows = this.slotsOfToken.all(dataKey)
    return rows.length > 1 ? rows.sort(bySlotKey) : rows
  }

  slot (key: { data_key: string, meta_contract_id: string, public_key: string, alias: string, version: string }): SlotRow | undefined {
    return this.slotByKey.get(key.data_key, key.meta_contract_id, key.public_key, key.alias, key.version)
  }

  binding (tokenKey: string): BindingRow | undefined {
    return this.bindingByToken.get(tokenKey)
  }

  /** How the transactions that wrote to a token ended, and how many are still pending. */
  receipts (dataKey: string): { receipts: ReceiptCounts, pending: number } {
    const { pending, ...receipts } = this.receiptCounts.get({ dataKey }) ?? { total: 0, applied: 0, rejected: 0, last_at: null, pending: 0 }
    return { receipts, pending }
  }

  /**
   * Up to `limit` tokens after the one whose sort key is `after` ("" for the first page) whose id
   * holds `contains`, and how many tokens of the collection hold it. Under
   * TRIGRAM_SEARCH_MIN_DIGITS digits the page walks the collection in order and stops at `limit`
   * matches (a digit or two is in most ids); a fragment no id holds answers at once from its kept
   * count.
   */
  page (tokenKey: string, after: string, contains: string, limit: number): { items: TokenSummary[], total: number } {
    if (contains === '') return { items: this.tokensInOrder(tokenKey, after, limit), total: this.count(tokenKey, '') }
    if (contains.length < TRIGRAM_SEARCH_MIN_DIGITS) {
      const total = this.count(tokenKey, contains)
      return { items: total === 0 ? [] : this.tokenPage.all(tokenKey, after, contains, limit), total }
    }
    const rows = this.trigramPage.all(trigramQuery(contains), tokenKey, contains, after, limit)
    const total = rows[0]?.total ?? this.count(tokenKey, contains)
    return { items: rows.map(({ total: _, ...item }) => item), total }
  }

  /**
   * Up to `limit` whole tokens after a sort key, from their slot rows. Rows are limited, not
   * tokens: most tokens have one slot, so `limit + 1` rows nearly always hold `limit` whole tokens
   * and the first row of the next; when they do not, twice as many are read.
   */
  private tokensInOrder (tokenKey: string, after: string, limit: number): TokenSummary[] {
    for (let rows = limit + 1; ; rows *= 2) {
      const found = this.slotsInOrder.all(tokenKey, after, rows)
      const tokens = groupSlots(found)
      // All rows to the collection's end: every token is whole. Otherwise the last one may go on.
      if (found.length < rows || tokens.length > limit) return tokens.slice(0, limit)
    }
  }

  /** Tokens of the collection whose id holds `contains` ("" for all): a kept count, or the trigram index's matches. */
  count (tokenKey: string, contains: string): number {
    if (contains === '') return this.collectionTotal.get(tokenKey) ?? 0
    if (contains.length < TRIGRAM_SEARCH_MIN_DIGITS) return this.fragmentTotal.get(tokenKey, contains) ?? 0
    return this.trigramCount.get(trigramQuery(contains), tokenKey, contains) ?? 0
  }

  /** The gateway's kept tokenURI JSON of a token under a contract and formatter build, if any. */
  keptDocument (tokenKey: string, tokenId: string, metaContractId: string, formatterId: string): string | undefined {
    return ledgerReads(this.db).keptDocumentOfToken(tokenKey, tokenId, metaContractId, formatterId)?.json
  }

  transaction (hash: string): TransactionSummaryRow | undefined {
    return this.transactionByHash.get(hash)
  }
}

/** Consecutive slot rows of a token as one summary, as GROUP BY with min(data_key), count(*), max(updated_at) gives it. */
function groupSlots (rows: Array<[string, string, number]>): TokenSummary[] {
  const tokens: TokenSummary[] = []
  let last: TokenSummary | undefined
  for (const [tokenId, dataKey, updatedAt] of rows) {
    if (last?.token_id === tokenId) {
      last.slots++
      if (compareText(dataKey, last.data_key) < 0) last.data_key = dataKey
      if (updatedAt > last.updated_at) last.updated_at = updatedAt
      continue
    }
    last = { token_id: tokenId, data_key: dataKey, slots: 1, updated_at: updatedAt }
    tokens.push(last)
  }
  return tokens
}

/** Slot rows of one token in primary key order: SQLite compares text as UTF-8 bytes. */
function bySlotKey (a: SlotRow, b: SlotRow): number {
  return compareText(a.meta_contract_id, b.meta_contract_id) || compareText(a.public_key, b.public_key) ||
    compareText(a.alias, b.alias) || compareText(a.version, b.version)
}

// Outside the Basic Multilingual Plane, UTF-16 order (JavaScript's) and UTF-8 order (SQLite's) differ.
const SURROGATE = /[\uD800-\uDFFF]/

/** SQLite's BINARY collation: UTF-8 bytes, which is code point order. */
function compareText (a: string, b: string): number {
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b))
  return a < b ? -1 : a > b ? 1 : 0
}

/** The sort key of a canonical decimal token id, as TOKEN_ORDER_SQL computes it. */
export function tokenOrderKey (tokenId: string): string {
  return `${String(tokenId.length).padStart(2, '0')}${tokenId}`
}

/**
 * The FTS5 query asking for every trigram of `fragment` (the index keeps no positions, so not as
 * a phrase): `"123" AND "234"`. Token ids are digits; a quote would be doubled all the same.
 */
export function trigramQuery (fragment: string): string {
  const trigrams = new Set<string>()
  for (let i = 0; i + 3 <= fragment.length; i++) trigrams.add(fragment.slice(i, i + 3))
  return [...trigrams].map(t => `"${t.replaceAll('"', '""')}"`).join(' AND ')
}
