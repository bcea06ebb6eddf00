import type { Database, Statement } from 'better-sqlite3'
import { BULK_EDIT_JOB_KIND } from './constants.js'
import type { BulkOperation } from './operation.js'

export type BulkEditState = 'running' | 'done' | 'cancelled' | 'failed'

/** A selected token as the job keeps it: resolved once, so a rename of the filtered trait cannot move the selection under the job. */
export interface BulkToken { token_id: string, data_key: string }

/** What a job edits: kept in `jobs.params`. */
export interface BulkEditParams {
  chain_id: string
  token_address: string
  meta_contract_id: string
  public_key: string
  operation: BulkOperation
  /** The edit in plain words (the job history shows it where an import shows its path). */
  description: string
  /** Every nonce of the job starts with it: what it committed is one range of the ledger's index. */
  nonce_prefix: string
  tokens: BulkToken[]
}

export interface RefusedToken { token_id: string, reason: string }

/** What a job counted: kept in `jobs.cursor` (applied/unchanged/rejected as the job history reads them). */
export interface BulkEditCounters {
  applied: number
  unchanged: number
  rejected: number
  /** Refused before signing (no document, a conflicting name, a batch error); the contract's refusals are in the ledger. */
  refused_unsigned: number
  refused_items: RefusedToken[]
}

export interface BulkEditRow {
  job: string
  state: BulkEditState
  params: BulkEditParams
  counters: BulkEditCounters
  done: number
  total: number
  error: string
  created_at: number
  updated_at: number
}

interface Row { id: string, kind: string, state: BulkEditState, params: string, cursor: string, done: number, total: number | null, error: string, created_at: number, updated_at: number }

export const emptyCounters = (): BulkEditCounters => ({ applied: 0, unchanged: 0, rejected: 0, refused_unsigned: 0, refused_items: [] })

/** Bulk edit jobs in the store's `jobs` table (migration 3), beside imports and exports. */
export class BulkEditJobs {
  private readonly insert: Statement
  private readonly byId: Statement
  private readonly progress: Statement
  private readonly state: Statement
  private readonly running: Statement

  constructor (db: Database) {
    this.insert = db.prepare(`INSERT INTO jobs (id, kind, state, params, cursor, done, total, error, created_at, updated_at)
      VALUES (?, '${BULK_EDIT_JOB_KIND}', 'running', ?, ?, 0, ?, '', ?, ?)`)
    this.byId = db.prepare(`SELECT * FROM jobs WHERE id = ? AND kind = '${BULK_EDIT_JOB_KIND}'`)
    this.progress = db.prepare('UPDATE jobs SET cursor = ?, done = ?, updated_at = ? WHERE id = ?')
    this.state = db.prepare('UPDATE jobs SET state = ?, error = ?, updated_at = ? WHERE id = ?')
    this.running = db.prepare(`SELECT id FROM jobs WHERE state = 'running' AND kind = '${BULK_EDIT_JOB_KIND}'`).pluck()
  }

  create (id: string, params: BulkEditParams): void {
    const now = Date.now()
    this.insert.run(id, JSON.stringify(params), JSON.stringify(emptyCounters()), params.tokens.length, now, now)
  }

  get (id: string): BulkEditRow | undefined {
    const row = this.byId.get(id) as Row | undefined
    if (row === undefined) return undefined
    return {
      job: row.id,
      state: row.state,
      params: JSON.parse(row.params) as BulkEditParams,
      counters: { ...emptyCounters(), ...JSON.parse(row.cursor) as Partial<BulkEditCounters> },
      done: row.done,
      total: row.total ?? 0,
      error: row.error,
      created_at: row.created_at,
      updated_at: row.updated_at,
    }
  }

  saveProgress (id: string, done: number, counters: BulkEditCounters): void {
    this.progress.run(JSON.stringify(counters), done, Date.now(), id)
  }

  setState (id: string, state: BulkEditState, error = ''): void {
    this.state.run(state, error, Date.now(), id)
  }

  /** Jobs a previous process left running (it crashed or was killed). */
  leftRunning (): string[] {
    return this.running.all() as string[]
  }
}
