/** The `jobs.kind` of a finished export: kept beside the import jobs (same table, migration 3). */
export const EXPORT_JOB_KIND = 'export:car'

/** How many past jobs `job_history` lists at most (newest first). */
export const MAX_JOB_HISTORY = 200
