/** Exit codes of `lineage-node`, documented in docs/CLI.md. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed: node already running, not running, unreachable… */
  failure: 1,
  /** The command line itself was wrong. */
  usage: 2,
} as const

/** A failure whose message is already a complete sentence for the user. */
export class CliError extends Error {
  override readonly name = 'CliError'
  constructor (message: string, readonly exitCode: number = EXIT.failure) {
    super(message)
  }
}

/**
 * JavaScript's own error classes: a message from one of these is a bug, not advice. Every other
 * named error in Lineage (StoreLockedError, WrongPassphraseError, …) is written for people.
 */
const GENERIC = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'])

export function describeError (err: unknown): string {
  const name = (err as { name?: unknown })?.name
  const message = err instanceof Error ? err.message : String(err)
  if (typeof name === 'string' && !GENERIC.has(name) && code(err) === undefined) return message
  const errno = code(err)
  if (errno === 'EACCES' || errno === 'EPERM') return `Permission denied: ${message}`
  if (errno === 'ENOSPC') return `The disk is full: ${message}`
  if (errno === 'ENOENT') return `Not found: ${message}`
  return `Unexpected error: ${message} (run with DEBUG=lineage:* for details)`
}

function code (err: unknown): string | undefined {
  const value = (err as { code?: unknown })?.code
  return typeof value === 'string' ? value : undefined
}
