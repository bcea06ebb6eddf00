/**
 * Meta contracts a user deploys: checked (the contract interface), run once in the sandbox, then
 * stored by CID in the blockstore and listed in `meta_contracts`, and loaded again at every start.
 *
 * @example
 * ```ts
 * const contracts = createContracts({ store, blockstore, sandbox, log }, BUILTIN_CONTRACTS)
 * await contracts.loadDeployed()
 * const info = await contracts.deploy('my-contract', wasmBytes)   // info.cid: bafkrei…
 * ```
 */
export { createContracts } from './contracts.js'
export type { ContractInfo, Contracts, ContractsComponents, ContractsInit } from './contracts.js'
export * from './constants.js'
export * from './errors.js'
