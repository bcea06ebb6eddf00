// Builds a service folder (`<dir>/assembly/index.ts`) into a Marine module: compile the source with
// generated glue, then add the interface-types and SDK-version sections Marine requires.
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ServiceBuildError } from './errors.js'
import { compileAssemblyScript } from './compile.js'
import { GLUE_FILE, generateGlue } from './generate-glue.js'
import { SDK_VERSION, generateInterfaceTypes } from './generate-it.js'
import { findServicesRoot } from './packages.js'
import { parseServiceInterface } from './parse-interface.js'
import type { ServiceInterface } from './service-interface.js'
import { encodeInterfaceTypes, sectionFromInterfaces, WasmSectionError, writeCustomSection } from '../index.js'
import type { ITInterfaces } from '../index.js'

export const IT_SECTION = 'interface-types'
export const SDK_VERSION_SECTION = '__fluence_sdk_version'

/** The services this repository ships, each a folder under services/. */
export const SERVICE_NAMES: readonly string[] = ['keys', 'formatter', 'open', 'erc721', 'collab', 'holders']

/** Import namespaces Marine links; anything else fails to load, so the build refuses it early. */
const ALLOWED_IMPORT_MODULES = /^(host|__marine_host_api_v[0-3]|wasi_snapshot_preview1)$/

export interface BuildServiceOptions {
  /** Folder holding `assembly/index.ts`. */
  dir: string
  /** Where to write the `.wasm`; its folder is created. */
  outFile: string
  /** Defaults to the services/ folder of this repository (for the @lineage/* packages). */
  servicesRoot?: string
  /** Unoptimised build with names, for reading traps. */
  debug?: boolean
}

export interface BuiltService {
  name: string
  wasmPath: string
  wasm: Uint8Array
  /** The interface as read from the source. */
  service: ServiceInterface
  /** The IT section written into the module. */
  interfaceTypes: ITInterfaces
  /** The generated AssemblyScript entry, for debugging. */
  glue: string
}

export async function buildServiceBytes(
  dir: string,
  servicesRoot = findServicesRoot(),
  debug = false,
): Promise<Omit<BuiltService, 'wasmPath'>> {
  const assemblyDir = path.resolve(dir, 'assembly')
  const entryFile = path.join(assemblyDir, 'index.ts')
  if (!existsSync(entryFile)) throw new ServiceBuildError(`${path.resolve(dir)} has no assembly/index.ts`)
  const service = parseServiceInterface({ entryFile, servicesRoot })
  const interfaceTypes = generateInterfaceTypes(service)
  const itBytes = encodeInterfaceTypes(sectionFromInterfaces(interfaceTypes))
  const glue = generateGlue(service)
  const compiled = await compileAssemblyScript({ assemblyDir, entryName: GLUE_FILE, entrySource: glue, servicesRoot, debug })
  checkModule(compiled, interfaceTypes)
  let wasm = writeCustomSection(compiled, IT_SECTION, itBytes)
  wasm = writeCustomSection(wasm, SDK_VERSION_SECTION, new TextEncoder().encode(SDK_VERSION))
  return { name: path.basename(path.resolve(dir)), wasm, service, interfaceTypes, glue }
}

function checkModule(wasm: Uint8Array, interfaces: ITInterfaces): void {
  const module = new WebAssembly.Module(wasm)
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name))
  for (const name of ['memory', ...interfaces.exports.map((e) => e.name)]) {
    if (!exported.has(name)) throw new WasmSectionError(`the compiled module does not export "${name}"`)
  }
  for (const imp of WebAssembly.Module.imports(module)) {
    if (!ALLOWED_IMPORT_MODULES.test(imp.module)) {
      throw new ServiceBuildError(`the module imports ${imp.module}.${imp.name}; Marine only links host, __marine_host_api_v* and WASI imports`)
    }
  }
}

export async function buildService(options: BuildServiceOptions): Promise<BuiltService> {
  return writeBuilt(await buildServiceBytes(options.dir, options.servicesRoot, options.debug), options.outFile)
}

export async function writeBuilt(built: Omit<BuiltService, 'wasmPath'>, outFile: string): Promise<BuiltService> {
  const wasmPath = path.resolve(outFile)
  await mkdir(path.dirname(wasmPath), { recursive: true })
  await writeFile(wasmPath, built.wasm)
  return { ...built, wasmPath }
}

/** Builds every shipped service into `<outDir>/<name>.wasm`. */
export async function buildAllServices(outDir: string, servicesRoot = findServicesRoot()): Promise<BuiltService[]> {
  const results: BuiltService[] = []
  for (const name of SERVICE_NAMES) {
    results.push(await buildService({ dir: path.join(servicesRoot, name), outFile: path.join(outDir, `${name}.wasm`), servicesRoot }))
  }
  return results
}
