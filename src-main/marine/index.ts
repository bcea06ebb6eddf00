/**
 * The Marine host for untrusted meta contracts: each module is checked, its memory capped, and
 * run in a worker thread where every call has a time budget. A contract that loops, traps or
 * runs out of memory fails that one call with a clear error; the node keeps serving.
 *
 * @example
 * ```ts
 * const sandbox = createContractSandbox({ log })
 * await sandbox.load('erc721', wasmBytes)
 * const result = await sandbox.call('erc721', 'on_execute', [contract, metadatas, transaction])
 * await sandbox.stop()
 * ```
 */
export { createWorkerSandbox as createContractSandbox } from './sandbox.js'
export type { ContractSandbox, ContractSandboxComponents, ContractSandboxInit, ContractArgs } from './sandbox.js'
export { limitMemory } from './wasm-memory.js'
export { keysCheckedAgainstService, keysFromService } from './keys.js'
export { formatterFromService } from './formatter.js'
export type { FormatOutcome, FormatterSlot, MetadataFormatter } from './formatter.js'
export type { MarineKeyDerivation } from './keys.js'
export * from './constants.js'
export * from './errors.js'
