/**
 * The Marine build toolchain: turns AssemblyScript services and meta contracts into modules
 * Marine loads. It loads the TypeScript compiler (to read a service's interface) and
 * AssemblyScript, so only `contract build`, the build script and tests import it; a running node
 * uses the runtime side in `../index.js` alone.
 *
 * @example
 * ```ts
 * const built = await buildService({ dir: 'services/keys', outFile: 'dist/services/keys.wasm' })
 * const keys = await loadMarineService(built.wasm, 'keys') // from '../index.js'
 * ```
 */
export { buildAllServices, buildService, buildServiceBytes, IT_SECTION, SDK_VERSION_SECTION, SERVICE_NAMES } from './service-build.js'
export type { BuildServiceOptions, BuiltService } from './service-build.js'
export { buildContract, checkContractInterface, CONTRACT_FUNCTIONS } from './contract.js'
export type { BuildContractOptions } from './contract.js'
export { CompileError, NameTooLongError, ServiceBuildError, TooManyItemsError, UnsupportedTypeError } from './errors.js'
export { generateInterfaceTypes, IT_VERSION, SDK_VERSION } from './generate-it.js'
export { generateGlue } from './generate-glue.js'
export { parseServiceInterface } from './parse-interface.js'
export type { ServiceFunction, ServiceInterface, ServiceRecord, ValueType } from './service-interface.js'
