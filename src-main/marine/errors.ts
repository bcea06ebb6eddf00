import { engineText } from './engine-text.js'

/** The module is not one the node will run: malformed, too big, or asking for too much memory. */
export class ContractModuleError extends Error {
  override readonly name = 'ContractModuleError'
  constructor (readonly contractId: string, detail: string) {
    // The engine's own words (with marine-js's stack) stay on the error for the log.
    super(`Meta contract ${contractId} cannot be loaded: ${engineText(detail)}`, { cause: detail })
  }
}

/** A call ran past its time budget and was stopped. */
export class ContractTimeoutError extends Error {
  override readonly name = 'ContractTimeoutError'
  constructor (readonly contractId: string, readonly fn: string, readonly timeoutMs: number) {
    super(`Meta contract ${contractId} did not finish ${fn} within ${timeoutMs} ms and was stopped`)
  }
}

/** The contract trapped (unreachable, out of bounds, out of memory) or Marine refused the call. */
export class ContractTrapError extends Error {
  override readonly name = 'ContractTrapError'
  constructor (readonly contractId: string, readonly fn: string, detail: string) {
    super(`Meta contract ${contractId} failed in ${fn}: ${engineText(detail)}`, { cause: detail })
  }
}

/** The contract id is not loaded in the sandbox. */
export class ContractNotLoadedError extends Error {
  override readonly name = 'ContractNotLoadedError'
  constructor (readonly contractId: string) {
    super(`Meta contract ${contractId} is not loaded`)
  }
}

/** The sandbox was stopped while work was pending. */
export class SandboxStoppedError extends Error {
  override readonly name = 'SandboxStoppedError'
  constructor () {
    super('The contract sandbox is stopped')
  }
}

/** The JS derivation of token_key/data_key disagrees with the `keys` service: one of them is wrong. */
export class KeysServiceMismatchError extends Error {
  override readonly name = 'KeysServiceMismatchError'
  constructor (readonly fn: string, readonly args: readonly string[]) {
    super(`The keys service and the node's own derivation give different ${fn} for ${JSON.stringify(args)}; refusing to start with either.`)
  }
}

/** The contract's memory reached its cap and its allocator could not grow it: the call trapped. */
export class ContractOutOfMemoryError extends Error {
  override readonly name = 'ContractOutOfMemoryError'
  constructor (readonly contractId: string, readonly fn: string, readonly limitBytes: number) {
    super(`Meta contract ${contractId} ran out of memory in ${fn}: a contract may use at most ${formatSize(limitBytes)}, and it was stopped`)
  }
}

/** The contract recursed (or nested calls) deeper than the engine's call stack allows. */
export class ContractStackOverflowError extends Error {
  override readonly name = 'ContractStackOverflowError'
  constructor (readonly contractId: string, readonly fn: string) {
    super(`Meta contract ${contractId} overflowed its call stack in ${fn} (recursion too deep) and was stopped`)
  }
}

/** The contract answered with more than a call may return; the answer was dropped unread. */
export class ContractResultTooLargeError extends Error {
  override readonly name = 'ContractResultTooLargeError'
  constructor (readonly contractId: string, readonly fn: string, readonly bytes: number, readonly limitBytes: number) {
    super(`Meta contract ${contractId} answered ${fn} with ${formatSize(bytes)}; an answer may be at most ${formatSize(limitBytes)}, so it was discarded`)
  }
}

/** Too many calls of one kind (e.g. from other peers) already wait for this contract. */
export class ContractCallsBusyError extends Error {
  override readonly name = 'ContractCallsBusyError'
  constructor (readonly contractId: string, readonly limit: number) {
    super(`${limit} calls from other peers to meta contract ${contractId} are already waiting for it; try again once they are answered`)
  }
}

/** A size as a person reads it: whole KiB below 1 MiB, else MiB to one decimal. */
function formatSize (bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`
  const mib = bytes / (1024 * 1024)
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`
}

/** The formatter module is not the interface the node calls it through (a build of another shape). */
export class FormatterInterfaceError extends Error {
  override readonly name = 'FormatterInterfaceError'
  constructor (detail: string) {
    super(`The formatter service cannot be used: ${detail}`)
  }
}
