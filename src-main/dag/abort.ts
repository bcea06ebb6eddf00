import { AbortError } from './errors.js'

/** Throws AbortError (whatever reason the signal carries) so callers can branch on one name. */
export function throwIfAborted (signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw new AbortError(what)
}
