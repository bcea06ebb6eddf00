/**
 * The Marine toolchain: builds AssemblyScript services into modules Marine loads, and loads them.
 *
 * @example
 * ```ts
 * const built = await buildService({ dir: 'services/keys', outFile: 'dist/services/keys.wasm' })
 * const keys = await loadMarineService(built.wasm, 'keys')
 * keys.call('token_key', ['1', '0xAbC…'])
 * ```
 */
export { buildAllServices, buildService, buildServiceBytes, IT_SECTION, SDK_VERSION_SECTION, SERVICE_NAMES } from './build.js'
export type { BuildServiceOptions, BuiltService } from './build.js'
export { buildContract, checkContractInterface, CONTRACT_FUNCTIONS } from './contract.js'
export type { BuildContractOptions } from './contract.js'
export {
  CompileError, InterfaceTypeError, MarineCallError, NameTooLongError, ServiceBuildError, TooManyItemsError,
  UnsupportedTypeError, WasmSectionError,
} from './errors.js'
export {
  decodeInterfaceTypes, encodeInterfaceTypes, flattenInterfaceTypes, MAX_LIST_ITEMS, MAX_NAME_BYTES, sectionFromInterfaces,
} from './it-codec.js'
export type * from './it-types.js'
export { generateInterfaceTypes, IT_VERSION, SDK_VERSION } from './generate-it.js'
export { generateGlue } from './generate-glue.js'
export { parseServiceInterface } from './parse-interface.js'
export type { ServiceFunction, ServiceInterface, ServiceRecord, ValueType } from './service-interface.js'
export {
  encodeCustomSection, readCustomSection, readCustomSections, readSections, removeCustomSection, writeCustomSection,
} from './wasm-sections.js'
export type { WasmSection } from './wasm-sections.js'
export { loadMarineService } from './loader.js'
export type { LoadMarineServiceOptions, MarineLogLevel, MarineServiceHandle } from './loader.js'
export { readServiceInterface } from './inspect.js'
export type { ModuleInterface } from './inspect.js'
