import type { Database } from 'better-sqlite3'

/** What the node holds, for status displays. Counts come from indexed tables: cheap to ask often. */
export interface StoreStats {
  collections: number
  tokens: number
  slots: number
  transactions: number
  blocks: number
  block_bytes: number
  /** Size of the database file(s) on disk. */
  database_bytes: number
}

type Totals = Pick<StoreStats, 'tokens' | 'slots' | 'transactions' | 'blocks' | 'block_bytes'>

/**
 * One row read: the totals are kept by triggers (migration 15, read-totals.ts) in the transaction
 * that changes what they count; counting at 1,000,000 tokens took seconds. Collections are
 * bindings, few enough to count.
 */
export function readStats (db: Database): StoreStats {
  const totals = db.prepare('SELECT tokens, slots, transactions, blocks, block_bytes FROM store_totals WHERE id = 1').get() as Totals | undefined
  const pages = db.pragma('page_count', { simple: true }) as number
  const pageSize = db.pragma('page_size', { simple: true }) as number
  return {
    collections: db.prepare('SELECT count(*) FROM contract_bindings').pluck().get() as number,
    tokens: totals?.tokens ?? 0,
    slots: totals?.slots ?? 0,
    transactions: totals?.transactions ?? 0,
    blocks: totals?.blocks ?? 0,
    block_bytes: totals?.block_bytes ?? 0,
    database_bytes: pages * pageSize,
  }
}
