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
