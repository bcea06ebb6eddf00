import { randomUUID } from 'node:crypto'
import type { Database, Statement } from 'better-sqlite3'
import { EXPORT_JOB_KIND, MAX_JOB_HISTORY } from './constants.js'
import { ImportJobBusyError, ImportJobNotFoundError, JOB_KINDS } from '../import/index.js'
import { BULK_EDIT_JOB_KIND } from '../bulk-edit/index.js'

/** One past (or running) import or export, as the history lists it. */
export interface JobSummary {
  job: string
  kind: 'import' | 'export' | 'edit'
  /** An edit's is 'bulk'. */
  format: 'folder' | 'csv' | 'car' | 'bulk'
  state: 'running' | 'paused' | 'cancelled' | 'failed' | 'done'
  /** What was imported, the file written, or the edit in plain words. */
  path: string
  chain_id: string
  token_address: string
  /** Imports and edits: items written (an import's unchanged ones included), already there, refused; exports: 0, 0, 0. */
  applied: number
  unchanged: number
  rejected: number
  /** Exports: blocks, bytes and signed transactions written. */
  blocks: number
  bytes: number
  transactions: number
  error: string
  created_at: number
  updated_at: number
}

/** What an export recorded: where, what, and how it ended. */
export interface ExportRecord {
  path: string
  token_key?: string
  data_key?: string
  state: 'done' | 'failed' | 'cancelled'
  blocks: number
  bytes: number
  transactions: number
  error?: string
  started_at: number
}

interface Row {
  id: string
  kind: string
  state: JobSummary['state']
  params: string
  cursor: string
  error: string
  created_at: number
  updated_at: number
}

const IMPORT_KINDS: readonly string[] = Object.values(JOB_KINDS)
const KINDS = [...IMPORT_KINDS, EXPORT_JOB_KIND, BULK_EDIT_JOB_KIND]

/**
 * The creator's job history: import jobs (kept by the importer in `jobs`, their refused items
 * included) and finished exports (recorded here in the same table), listed newest first, until
 * the creator clears one. Survives restarts because it is the database.
 * Clearing an unknown job throws ImportJobNotFoundError, a running one ImportJobBusyError.
 */
export class JobHistory {
  private readonly listed: Statement
  private readonly one: Statement
  private readonly insert: Statement
  private readonly remove: Statement

  constructor (db: Database, private readonly isRunning: (job: string) => boolean = () => false) {
    this.listed = db.prepare(`SELECT * FROM jobs WHERE kind IN (${KINDS.map(() => '?').join(', ')}) ORDER BY created_at DESC, id LIMIT ?`)
    this.one = db.prepare('SELECT * FROM jobs WHERE id = ?')
    this.insert = db.prepare(`INSERT INTO jobs (id, kind, state, params, cursor, done, total, error, created_at, updated_at)
      VALUES (?, '${EXPORT_JOB_KIND}', ?, ?, ?, ?, NULL, ?, ?, ?)`)
    this.remove = db.prepare('DELETE FROM jobs WHERE id = ?')
  }

  list (limit = MAX_JOB_HISTORY): JobSummary[] {
    return (this.listed.all(...KINDS, Math.min(limit, MAX_JOB_HISTORY)) as Row[]).map(row => this.summary(row))
  }

  /** Records a finished export; answers its id. */
  recordExport (record: ExportRecord): string {
    const id = randomUUID()
    const params = { path: record.path, ...(record.token_key === undefined ? {} : { token_key: record.token_key }), ...(record.data_key === undefined ? {} : { data_key: record.data_key }) }
    this.insert.run(id, record.state, JSON.stringify(params), JSON.stringify({ blocks: record.blocks, bytes: record.bytes, transactions: record.transactions }), record.blocks, record.error ?? '', record.started_at, Date.now())
    return id
  }

  /** Clears one job from the history: its report and refused items go (an import cannot be resumed after). */
  clear (job: string): void {
    const row = this.one.get(job) as Row | undefined
    if (row === undefined || !KINDS.includes(row.kind)) throw new ImportJobNotFoundError(job)
    if (this.isRunning(job)) throw new ImportJobBusyError(job)
    this.remove.run(job)
  }

  private summary (row: Row): JobSummary {
    const params = JSON.parse(row.params) as { source?: string, path?: string, description?: string, chain_id?: string, token_address?: string }
    const cursor = JSON.parse(row.cursor) as { applied?: number, unchanged?: number, rejected?: number, blocks?: number, bytes?: number, transactions?: number }
    const isExport = row.kind === EXPORT_JOB_KIND
    const isEdit = row.kind === BULK_EDIT_JOB_KIND
    return {
      job: row.id,
      kind: isExport ? 'export' : isEdit ? 'edit' : 'import',
      format: isExport ? 'car' : (row.kind.split(':')[1] as JobSummary['format']),
      // A job the process left running is running only if the importer says so.
      state: row.state === 'running' && !this.isRunning(row.id) ? 'paused' : row.state,
      path: (isExport ? params.path : isEdit ? params.description : params.source) ?? '',
      chain_id: params.chain_id ?? '',
      token_address: params.token_address ?? '',
      applied: cursor.applied ?? 0,
      unchanged: cursor.unchanged ?? 0,
      rejected: cursor.rejected ?? 0,
      blocks: cursor.blocks ?? 0,
      bytes: cursor.bytes ?? 0,
      transactions: cursor.transactions ?? 0,
      error: row.error,
      created_at: row.created_at,
      updated_at: row.updated_at,
    }
  }
}
