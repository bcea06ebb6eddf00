import type { Database, Statement } from 'better-sqlite3'
import { ledgerReads } from '../tokens/index.js'
import type { ContractTokenRow } from '../tokens/index.js'

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
export type SnapshotToken = ContractTokenRow

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
    const reads = ledgerReads(db)
    this.countTokens = reads.tokensUnderContract
    this.tokenPage = reads.tokensUnderContractAfter
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
