/**
 * The Marine runtime side of the toolchain: loads built modules into marine-js, reads their
 * interface, and encodes and decodes the interface-types and custom sections Marine needs. A
 * running node needs only this; building a module from AssemblyScript is `./builder/index.js`,
 * which loads the TypeScript and AssemblyScript compilers and is used by `contract build`, the
 * build script and tests. That folder depends on this one, never the other way round.
 *
 * @example
 * ```ts
 * const keys = await loadMarineService(await fs.readFile('dist/services/keys.wasm'), 'keys')
 * keys.call('token_key', ['1', '0xAbC…'])
 * ```
 */
export { InterfaceTypeError, MarineCallError, WasmSectionError } from './errors.js'
export {
  decodeInterfaceTypes, encodeInterfaceTypes, flattenInterfaceTypes, MAX_LIST_ITEMS, MAX_NAME_BYTES, sectionFromInterfaces,
} from './it-codec.js'
export { utf8Length } from './bytes.js'
export type * from './it-types.js'
export {
  encodeCustomSection, readCustomSection, readCustomSections, readSections, removeCustomSection, writeCustomSection,
} from './wasm-sections.js'
export type { WasmSection } from './wasm-sections.js'
export { loadMarineService } from './loader.js'
export type { LoadMarineServiceOptions, MarineLogLevel, MarineServiceHandle } from './loader.js'
export { readServiceInterface } from './inspect.js'
export type { ModuleInterface } from './inspect.js'
