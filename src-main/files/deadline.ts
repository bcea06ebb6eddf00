import { MAX_STUCK_READS } from './constants.js'
import { FileReadsStuckError, FileTimeoutError } from './errors.js'

/** Reads abandoned at their deadline whose system call has not returned yet. */
let stuck = 0

/** How many abandoned reads are still stuck in the thread pool (for tests and diagnostics). */
export function stuckReads (): number {
  return stuck
}

/**
 * Counts one more stuck read (a file reader's worker abandoned in a system call) until the
 * returned function is called, once that call returns.
 */
export function holdStuck (): () => void {
  stuck++
  let held = true
  return () => {
    if (held) stuck--
    held = false
  }
}

/**
 * Runs `work` (file system calls on one file) with a deadline. When the deadline passes first,
 * the caller gets FileTimeoutError at once and `work` is abandoned: `gone()` turns true so it
 * stops at its next step, and whatever it yields late is handed to `release` (to close a handle).
 * A system call cannot be interrupted, so until it returns it counts as stuck; past
 * MAX_STUCK_READS, new work is refused at once with FileReadsStuckError.
 */
export async function withDeadline<T> (label: string, ms: number, work: (gone: () => boolean) => Promise<T>, release?: (late: T) => Promise<void>): Promise<T> {
  if (stuck >= MAX_STUCK_READS) throw new FileReadsStuckError(label, stuck)
  let abandoned = false
  const running = work(() => abandoned)
  return await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      abandoned = true
      stuck++
      running.then(async late => { await release?.(late) }, () => {}).catch(() => {}).finally(() => { stuck-- })
      reject(new FileTimeoutError(label, ms))
    }, ms)
    running.then(value => {
      clearTimeout(timer)
      if (!abandoned) resolve(value)
    }, (err: unknown) => {
      clearTimeout(timer)
      if (!abandoned) reject(err)
    })
  })
}
