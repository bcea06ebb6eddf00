import type { Database, Statement } from 'better-sqlite3'
import type { BindingRow, SlotRow } from '../engine/index.js'
import { TOKEN_ORDER_SQL } from './constants.js'

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
  private readonly receiptCounts: Statement<[string], ReceiptCounts>
  private readonly pendingCount: Statement<[string], number>
  private readonly tokenPage: Statement<[string, string, string, number], TokenSummary>
  private readonly tokenCount: Statement<[string, string], number>
  private readonly transactionByHash: Statement<[string], TransactionSummaryRow>

  constructor (readonly db: Database) {
    this.slotsOfToken = db.prepare<[string], SlotRow>('SELECT * FROM slots WHERE data_key = ? ORDER BY meta_contract_id, public_key, alias, version')
    this.slotByKey = db.prepare<[string, string, string, string, string], SlotRow>('SELECT * FROM slots WHERE data_key = ? AND meta_contract_id = ? AND public_key = ? AND alias = ? AND version = ?')
    this.bindingByToken = db.prepare<[string], BindingRow>('SELECT * FROM contract_bindings WHERE token_key = ?')
    this.receiptCounts = db.prepare<[string], ReceiptCounts>(`SELECT count(*) AS total, coalesce(sum(r.status = 'applied'), 0) AS applied,
      coalesce(sum(r.status = 'rejected'), 0) AS rejected, max(r.timestamp) AS last_at
      FROM transactions t JOIN receipts r ON r.hash = t.hash WHERE t.data_key = ?`)
    this.pendingCount = db.prepare<[string], number>("SELECT count(*) FROM transactions WHERE data_key = ? AND status = 'pending'").pluck()
    // Keyset paging: the cursor is the sort key of the last token of the previous page, so every
    // page is one seek into the slots_token_order index (migration 4), however deep it is.
    // instr(token_id, '') is 1, so an empty filter matches every token.
    this.tokenPage = db.prepare<[string, string, string, number], TokenSummary>(`SELECT token_id, min(data_key) AS data_key, count(*) AS slots, max(updated_at) AS updated_at
      FROM slots WHERE token_key = ? AND ${TOKEN_ORDER_SQL} > ? AND instr(token_id, ?) > 0
      GROUP BY ${TOKEN_ORDER_SQL} ORDER BY ${TOKEN_ORDER_SQL} LIMIT ?`)
    this.tokenCount = db.prepare<[string, string], number>('SELECT count(DISTINCT token_id) FROM slots WHERE token_key = ? AND instr(token_id, ?) > 0').pluck()
    this.transactionByHash = db.prepare<[string], TransactionSummaryRow>('SELECT data_key, meta_contract_id, public_key, status FROM transactions WHERE hash = ?')
  }

  slots (dataKey: string): SlotRow[] {
    return this.slotsOfToken.all(dataKey)
  }

  slot (key: { data_key: string, meta_contract_id: string, public_key: string, alias: string, version: string }): SlotRow | undefined {
    return this.slotByKey.get(key.data_key, key.meta_contract_id, key.public_key, key.alias, key.version)
  }

  binding (tokenKey: string): BindingRow | undefined {
    return this.bindingByToken.get(tokenKey)
  }

  receipts (dataKey: string): ReceiptCounts {
    return this.receiptCounts.get(dataKey) ?? { total: 0, applied: 0, rejected: 0, last_at: null }
  }

  pending (dataKey: string): number {
    return this.pendingCount.get(dataKey) ?? 0
  }

  /** Up to `limit` tokens after the one whose sort key is `after` ("" for the first page). */
  page (tokenKey: string, after: string, contains: string, limit: number): TokenSummary[] {
    return this.tokenPage.all(tokenKey, after, contains, limit)
  }

  count (tokenKey: string, contains: string): number {
    return this.tokenCount.get(tokenKey, contains) ?? 0
  }

  transaction (hash: string): TransactionSummaryRow | undefined {
    return this.transactionByHash.get(hash)
  }
}

/** The sort key of a canonical decimal token id, as TOKEN_ORDER_SQL computes it. */
export function tokenOrderKey (tokenId: string): string {
  return `${String(tokenId.length).padStart(2, '0')}${tokenId}`
}
