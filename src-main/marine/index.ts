/**
 * The Marine host for untrusted meta contracts: each module is checked, its memory capped, and
 * run in a small pool of worker threads where every call has a time budget. Each contract has its
 * own queue and runs in one worker at a time, taking turns with the others, so a contract that
 * loops holds one worker while the rest serve everyone else. A call that loops, runs out of
 * memory, overflows its stack, answers too much or traps fails alone with its own named error,
 * and the contract's next call runs in a fresh instance.
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
export type { ContractSandbox, ContractSandboxComponents, ContractSandboxInit, ContractArgs, ContractCall, ContractCallResult, SandboxStats } from './sandbox.js'
export { WaitingCallsGate } from './call-gate.js'
export { limitMemory } from './wasm-memory.js'
export { keysCheckedAgainstService, keysFromService } from './keys.js'
export { formatterFromService, formatTokenDocument } from './formatter.js'
export { formatterFromWasm } from './direct-formatter.js'
export type { ContentSlot, FormatOutcome, FormatterSlot, MetadataFormatter } from './formatter.js'
export type { MarineKeyDerivation } from './keys.js'
export * from './constants.js'
export * from './errors.js'
