import type { JobHistory } from '../../lineage/job-history/index.js'
import { MAX_JOB_HISTORY } from '../../lineage/job-history/index.js'
import { namedPaths, publicReasons } from '../public-text.js'
import type { JobSummaryInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface JobHistoryMethodsComponents {
  /** Absent in nodes built without it (unit tests of other groups): then the methods are not listed. */
  jobHistory?: JobHistory
}

/**
 * The creator's job history: every import and export, newest first, kept in the database until
 * cleared (`import_status` gives an import's refused items). Needs the token: it names paths.
 */
export function jobHistoryMethods ({ jobHistory }: JobHistoryMethodsComponents): RpcMethod[] {
  if (jobHistory === undefined) return []
  // The paths listed are the jobs' own: each may be shown in its row, as import_status does.
  const list = (limit?: number): JobSummaryInfo[] => jobHistory.list(limit).map(job => publicReasons(job, namedPaths(job.path)))
  return [
    defineMethod({
      name: 'job_history',
      requiresToken: true,
      description: `Past and running imports and exports, newest first (at most ${MAX_JOB_HISTORY}), kept until cleared with job_forget.`,
      params: [{ name: 'limit', schema: { type: 'integer', minimum: 1, maximum: MAX_JOB_HISTORY }, optional: true }],
      handler: p => list(p.limit as number | undefined),
    }),
    defineMethod({
      name: 'job_forget',
      requiresToken: true,
      description: 'Clears one finished import or export from the history (an import\'s report and refused items go; it can no longer be resumed); answers the history.',
      params: [{ name: 'job', schema: { type: 'string', minLength: 1, maxLength: 64 } }],
      handler: p => {
        jobHistory.clear(p.job as string)
        return list()
      },
    }),
  ]
}
