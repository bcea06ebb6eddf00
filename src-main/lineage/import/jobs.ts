import type { Database, Statement } from 'better-sqlite3'
import { JOB_KINDS } from './constants.js'
import type { ImportFormat } from './constants.js'
import type { IgnoredFiles, ImportJobInfo, ImportJobParams, ImportCounters, ImportJobState, RejectedItem } from './types.js'

interface JobRow {
  id: string
  kind: string
  state: ImportJobState
  params: string
  cursor: string
  done: number
  total: number | null
  error: string
  created_at: number
  updated_at: number
}

/** The counters a run keeps: `rejected` counts `refused` (items never published) too. */
export interface RunCounters extends ImportCounters {
  refused: number
}

/** What the `cursor` column holds for an import: the counters, and at the end the rejected items. */
interface ImportCursor extends Omit<RunCounters, 'unchanged'> {
  /** Absent in cursors saved before it was counted. */
  unchanged?: number
  rejected_items?: RejectedItem[]
  ignored_files?: IgnoredFiles
}

/** A job as its row holds it, with the items the latest run refused before publishing them. */
export type StoredImportJob = ImportJobInfo & { refused: number }

const IMPORT_KINDS = Object.values(JOB_KINDS)

/** Import jobs in the store's `jobs` table (migration 3), through prepared statements. */
export class ImportJobs {
  private readonly insert: Statement
  private readonly byId: Statement
  private readonly progress: Statement
  private readonly state: Statement
  private readonly interrupted: Statement

  constructor (db: Database) {
    this.insert = db.prepare(`INSERT INTO jobs (id, kind, state, params, cursor, done, total, error, created_at, updated_at)
      VALUES (?, ?, 'paused', ?, ?, 0, NULL, '', ?, ?)`)
    this.byId = db.prepare('SELECT * FROM jobs WHERE id = ?')
    this.progress = db.prepare('UPDATE jobs SET cursor = ?, done = ?, total = ?, updated_at = ? WHERE id = ?')
    this.state = db.prepare('UPDATE jobs SET state = ?, error = ?, updated_at = ? WHERE id = ?')
    this.interrupted = db.prepare(`UPDATE jobs SET state = 'paused', error = 'interrupted: the node stopped while it ran', updated_at = ?
      WHERE state = 'running' AND kind IN (${IMPORT_KINDS.map(() => '?').join(', ')})`)
  }

  create (id: string, format: ImportFormat, params: ImportJobParams): void {
    const now = Date.now()
    this.insert.run(id, JOB_KINDS[format], JSON.stringify(params), JSON.stringify(emptyCursor()), now, now)
  }

  get (id: string): StoredImportJob | undefined {
    const row = this.byId.get(id) as JobRow | undefined
    if (row === undefined || !(IMPORT_KINDS as string[]).includes(row.kind)) return undefined
    const cursor = JSON.parse(row.cursor) as Omit<ImportCursor, 'refused'> & { refused?: number }
    const params = JSON.parse(row.params) as ImportJobParams
    const format = (Object.keys(JOB_KINDS) as ImportFormat[]).find(f => JOB_KINDS[f] === row.kind) ?? 'folder'
    return {
      job: row.id,
      format,
      state: row.state,
      params,
      done: row.done,
      total: row.total,
      applied: cursor.applied,
      // Saved before receipts said whether a write changed anything: none known.
      unchanged: cursor.unchanged ?? 0,
      rejected: cursor.rejected,
      skipped: cursor.skipped,
      pending: 0,
      // Rows saved before refusals were counted apart say nothing of them.
      refused: cursor.refused ?? 0,
      rejected_items: cursor.rejected_items ?? [],
      ...(cursor.ignored_files === undefined ? {} : { ignored_files: cursor.ignored_files }),
      error: row.error,
      created_at: row.created_at,
      updated_at: row.updated_at,
    }
  }

  saveProgress (id: string, done: number, total: number | null, counters: RunCounters, rejectedItems?: RejectedItem[], ignored?: IgnoredFiles): void {
    const cursor: ImportCursor = { applied: counters.applied, unchanged: counters.unchanged, rejected: counters.rejected, skipped: counters.skipped, refused: counters.refused, ...(rejectedItems === undefined ? {} : { rejected_items: rejectedItems }), ...(ignored === undefined || ignored.count === 0 ? {} : { ignored_files: ignored }) }
    this.progress.run(JSON.stringify(cursor), done, total, Date.now(), id)
  }

  setState (id: string, state: ImportJobState, error = ''): void {
    this.state.run(state, error, Date.now(), id)
  }

  /** Jobs a previous process left `running` (it crashed or was killed): they are paused, to be resumed. */
  markInterrupted (): number {
    return this.interrupted.run(Date.now(), ...IMPORT_KINDS).changes
  }
}

function emptyCursor (): ImportCursor {
  return { applied: 0, unchanged: 0, rejected: 0, skipped: 0, refused: 0 }
}
