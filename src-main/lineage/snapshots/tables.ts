import type { Database, Statement } from 'better-sqlite3'
import { TOKEN_ORDER_SQL } from '../tokens/index.js'

/** A row of the `snapshots` table (store migration 13). */
export interface SnapshotRow {
  token_key: string
  root_cid: string
  chain_id: string
  token_address: string
  created_at: number
  tokens: number
  bytes: number
  json_suffix: 0 | 1
  sharded: 0 | 1
}

/** A token of the collection with metadata under its contract, as a page lists it. */
export interface SnapshotToken {
  token_id: string
  data_key: string
}

/** The queries of snapshots, prepared once per connection. */
export class SnapshotTables {
  readonly countTokens: Statement<[string, string], number>
  readonly tokenPage: Statement<[string, string, string, number], SnapshotToken>
  readonly upsert: Statement<SnapshotRow>
  readonly ofCollection: Statement<[string], SnapshotRow>
  readonly all: Statement<[], SnapshotRow>
  readonly byRoot: Statement<[string], SnapshotRow>
  readonly removeRoot: Statement<[string]>

  constructor (readonly db: Database) {
    this.countTokens = db.prepare<[string, string], number>('SELECT count(DISTINCT token_id) FROM slots WHERE token_key = ? AND meta_contract_id = ?').pluck()
    // Keyset paging in numeric token order over the slots_token_order index (migration 4), so
    // each page is one seek however deep the walk is.
    this.tokenPage = db.prepare<[string, string, string, number], SnapshotToken>(`SELECT token_id, min(data_key) AS data_key FROM slots
      WHERE token_key = ? AND meta_contract_id = ? AND ${TOKEN_ORDER_SQL} > ?
      GROUP BY ${TOKEN_ORDER_SQL} ORDER BY ${TOKEN_ORDER_SQL} LIMIT ?`)
    // The same content taken again has the same root: the row is dated anew, not repeated.
    this.upsert = db.prepare<SnapshotRow>(`INSERT INTO snapshots (token_key, root_cid, chain_id, token_address, created_at, tokens, bytes, json_suffix, sharded)
      VALUES (@token_key, @root_cid, @chain_id, @token_address, @created_at, @tokens, @bytes, @json_suffix, @sharded)
      ON CONFLICT (token_key, root_cid) DO UPDATE SET created_at = excluded.created_at`)
    this.ofCollection = db.prepare<[string], SnapshotRow>('SELECT * FROM snapshots WHERE token_key = ? ORDER BY created_at DESC, root_cid')
    this.all = db.prepare<[], SnapshotRow>('SELECT * FROM snapshots ORDER BY created_at DESC, root_cid')
    this.byRoot = db.prepare<[string], SnapshotRow>('SELECT * FROM snapshots WHERE root_cid = ? ORDER BY created_at DESC')
    this.removeRoot = db.prepare<[string]>('DELETE FROM snapshots WHERE root_cid = ?')
  }
}
