/**
 * The creator's job history: every import (with its refused items) and export, kept in the
 * database until cleared, so a report stays reachable after navigating away or a restart.
 *
 * @example
 * ```ts
 * const history = createJobHistory(store.db, job => importer.isRunning(job))
 * history.recordExport({ path: '/home/me/backup.car', state: 'done', blocks: 12, bytes: 4096, started_at: Date.now() })
 * history.list() // [{ job, kind: 'export', state: 'done', path: '/home/me/backup.car', … }, { job, kind: 'import', … }]
 * history.clear(job)
 * ```
 */
import type { Database } from 'better-sqlite3'
import { JobHistory } from './history.js'

export function createJobHistory (db: Database, isRunning?: (job: string) => boolean): JobHistory {
  return new JobHistory(db, isRunning)
}

export type { JobHistory, JobSummary, ExportRecord } from './history.js'
export * from './constants.js'
