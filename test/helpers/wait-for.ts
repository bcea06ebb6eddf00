// The one way a test waits for something that happens in the background: poll a check until it
// holds or a deadline passes, and on the deadline fail naming what was awaited and what the check
// last saw, so a timeout reads as a finding rather than "timed out".
import { inspect } from 'node:util'

export interface WaitForOptions {
  /** How long to wait before failing; generous, because CI machines are slow and shared. */
  timeoutMs?: number
  /** The pause between checks. */
  intervalMs?: number
  /** Extra context for the failure message (a child's output, a node's state), read only then. */
  detail?: () => string
}

/** What a check returns once it holds. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_INTERVAL_MS = 50

/**
 * Calls `check` until it returns something truthy, and returns that. Throws, naming `what`, the
 * time waited and the last value seen, once `timeoutMs` passes. An error thrown by `check` ends
 * the wait at once: a broken probe should not be retried into a timeout that hides it.
 */
export async function waitFor<T> (what: string, check: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Truthy<T>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== null && value !== false && value !== 0 && value !== '') return value as Truthy<T>
    if (Date.now() > deadline) {
      const detail = options.detail === undefined ? '' : `\n${options.detail()}`
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the check last returned ${inspect(value, { depth: 4 })}${detail}`)
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
}
