/** Exit codes of `lineage-node`, documented in the README. */
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

/** Errors from the node whose messages are written for people; anything else is a bug and says so. */
const USER_FACING = new Set(['StoreLockedError', 'StoreVersionError', 'StoreCorruptError', 'MigrationError', 'IdentityError', 'ConfigError', 'ServicesMissingError', 'ContractModuleError', 'CliError'])

export function describeError (err: unknown): string {
  const name = (err as { name?: unknown })?.name
  const message = err instanceof Error ? err.message : String(err)
  if (typeof name === 'string' && USER_FACING.has(name)) return message
  const code = (err as { code?: unknown })?.code
  if (code === 'EACCES' || code === 'EPERM') return `Permission denied: ${message}`
  if (code === 'ENOSPC') return `The disk is full: ${message}`
  return `Unexpected error: ${message} (run with DEBUG=lineage:* for details)`
}
