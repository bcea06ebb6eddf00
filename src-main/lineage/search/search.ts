import type { Database } from 'better-sqlite3'
import type { SlotRow, TransactionRow } from '../engine/index.js'
import { ledgerReads } from '../tokens/index.js'
import { DEFAULT_COMPLETE_PAGE, DEFAULT_PAGE, OPERATORS, SLOT_COLUMNS, SORT_ORDERS, TRANSACTION_COLUMNS } from './constants.js'
import type { ColumnSpec } from './constants.js'
import { SearchCursorError } from './errors.js'
import { bindValue, uintOrderSql } from './values.js'

/** A slot as searches return it: its row, with the head CID named `cid` as the original does. */
export type SlotSummary = Omit<SlotRow, 'head_cid'> & { cid: string }

/** One condition: `column op query`, e.g. `{ column: "token_id", op: "=", query: "42" }`. */
export interface SearchCondition {
  column: string
  op: string
  query: string | number
}

export interface SearchOrdering {
  column: string
  sort: string
}

/** The original protocol's search shape: conditions (ANDed), sort keys, offset `from`, count `to`. */
export interface SearchFilter {
  query?: SearchCondition[]
  ordering?: SearchOrdering[]
  from?: number
  to?: number
}

/** Where a page of applied transactions starts, and how long it is. */
export interface CompleteTransactionsPage {
  /** The hash of the previous page's last transaction: the page starts right after it. */
  after?: string
  /** Default DEFAULT_COMPLETE_PAGE. */
  limit?: number
}

/**
 * Every method throws InvalidSearchValueError (naming the condition) when a value does not fit
 * its column's type, e.g. a token_id that is not a number.
 */
export interface Search {
  transactions(filter: SearchFilter): TransactionRow[]
  /**
   * Applied transactions whose signed timestamp lies in [fromTs, toTs] (milliseconds), in
   * (timestamp, hash) order: one page. Throws SearchCursorError for an `after` this node lacks.
   */
  completeTransactions(fromTs: number, toTs: number, page?: CompleteTransactionsPage): TransactionRow[]
  slots(filter: SearchFilter): SlotSummary[]
  slotCount(filter: SearchFilter): number
  pendingTransactions(limit: number): TransactionRow[]
}

/**
 * Builds parameterised SQL from a filter. Column names, operators and sort orders come only from
 * the whitelists; values only as bound parameters, in the form their column stores them
 * (values.ts). The API validates the filter's shape first (names in the whitelists), so a name
 * that is not there is a programming error here; a value that does not fit its column's type is
 * the caller's (InvalidSearchValueError).
 */
function compile (columns: Readonly<Record<string, ColumnSpec>>, filter: SearchFilter): { where: string, order: string, params: Array<string | number> } {
  const params: Array<string | number> = []
  const conditions = (filter.query ?? []).map((c, i) => {
    const column = columns[c.column]
    const op = OPERATORS[c.op]
    if (column === undefined || op === undefined) throw new Error(`unlisted column or operator reached SQL: ${c.column} ${c.op}`)
    const value = bindValue(c.column, column, c.op, c.query, `filter.query.${i}.query`)
    // Only a value from the column's closed list reaches the SQL text (quotes cannot).
    if (op === '=' && typeof value === 'string' && column.values?.includes(value) === true) return `${column.sql} = '${value}'`
    params.push(value)
    if (op === 'LIKE') return `${column.sql} LIKE ? ESCAPE '\\'`
    // A number column compares as a number; a row that holds none (a binding's "") matches no comparison.
    if (column.type === 'uint') return `(${column.sql} != '' AND ${uintOrderSql(column.sql)} ${op} ?)`
    return `${column.sql} ${op} ?`
  })
  const orderings = (filter.ordering ?? []).map(o => {
    const column = columns[o.column]
    const sort = SORT_ORDERS[o.sort]
    if (column === undefined || sort === undefined) throw new Error(`unlisted column or sort reached SQL: ${o.column} ${o.sort}`)
    return `${column.type === 'uint' ? uintOrderSql(column.sql) : column.sql} ${sort}`
  })
  return {
    where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`,
    order: `ORDER BY ${[...orderings, 'rowid ASC'].join(', ')}`,
    params,
  }
}

export function createSearch (db: Database): Search {
  const page = (filter: SearchFilter): [number, number] => [filter.to ?? DEFAULT_PAGE, filter.from ?? 0]
  const reads = ledgerReads(db)
  return {
    transactions (filter) {
      const { where, order, params } = compile(TRANSACTION_COLUMNS, filter)
      return reads.search('transactions', where, order, params, ...page(filter)) as TransactionRow[]
    },
    completeTransactions (fromTs, toTs, { after, limit = DEFAULT_COMPLETE_PAGE } = {}) {
      // '' sorts before every hash: the page then starts at fromTs itself.
      let start: [number, string] = [fromTs, '']
      if (after !== undefined) {
        const timestamp = reads.timestampOfTransaction.get(after)
        if (timestamp === undefined) throw new SearchCursorError(after)
        if (timestamp >= fromTs) start = [timestamp, after]
      }
      return reads.appliedAfter.all(...start, toTs, limit)
    },
    slots (filter) {
      const { where, order, params } = compile(SLOT_COLUMNS, filter)
      return reads.search('slots', where, order, params, ...page(filter)) as SlotSummary[]
    },
    slotCount (filter) {
      const { where, params } = compile(SLOT_COLUMNS, filter)
      return reads.searchCount(where, params)
    },
    pendingTransactions (limit) {
      return reads.pending.all(limit)
    },
  }
}
