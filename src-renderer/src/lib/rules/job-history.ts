import type { JobSummaryInfo } from '../../../../src-main/api/rpc-types.js'
import { formatBytes } from '../format.js'

const count = (n: number): string => n.toLocaleString('en-US')

const STATES: Record<JobSummaryInfo['state'], string> = {
  running: 'Running',
  paused: 'Stopped before the end (start it again to resume)',
  cancelled: 'Cancelled',
  failed: 'Failed',
  done: 'Finished',
}

/** "Finished: 1,999 written, 0 already there, 1 refused", "Finished: 2,003 signed writes, 1.2 MiB". */
export function describeJob (job: JobSummaryInfo): string {
  const state = STATES[job.state]
  if (job.kind === 'export') return job.state === 'done' ? `${state}: ${count(job.transactions)} signed writes, ${formatBytes(job.bytes)}` : state
  if (job.format === 'car') return state
  // An edit's applied counts only tokens it changed (unchanged ones are never signed).
  if (job.kind === 'edit') return `${state}: ${count(job.applied)} changed, ${count(job.unchanged)} already that way, ${count(job.rejected)} refused`
  return `${state}: ${count(job.applied - job.unchanged)} written, ${count(job.unchanged)} already there, ${count(job.rejected)} refused`
}

export function jobTitle (job: JobSummaryInfo): string {
  return job.kind === 'export' ? 'Backup written' : job.kind === 'edit' ? 'Bulk edit' : job.format === 'car' ? 'Backup imported' : 'Import'
}
