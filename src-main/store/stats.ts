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

export function readStats (db: Database): StoreStats {
  const count = (sql: string): number => (db.prepare(sql).pluck().get() as number | null) ?? 0
  const pages = db.pragma('page_count', { simple: true }) as number
  const pageSize = db.pragma('page_size', { simple: true }) as number
  return {
    collections: count('SELECT count(*) FROM contract_bindings'),
    tokens: count('SELECT count(DISTINCT data_key) FROM slots'),
    slots: count('SELECT count(*) FROM slots'),
    transactions: count('SELECT count(*) FROM transactions'),
    blocks: count('SELECT count(*) FROM blocks'),
    block_bytes: count('SELECT coalesce(sum(size), 0) FROM blocks'),
    database_bytes: pages * pageSize,
  }
}
