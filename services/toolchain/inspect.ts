// Reads back what Marine will read from a module: its IT section and SDK version.
import { WasmSectionError } from './errors.js'
import { decodeInterfaceTypes, flattenInterfaceTypes } from './it-codec.js'
import type { ITInterfaces } from './it-types.js'
import { readCustomSection } from './wasm-sections.js'

// The oldest versions Marine accepts.
const MIN_SDK_VERSION = [0, 6, 0]
const MIN_IT_VERSION = [0, 20, 0]

function semver(text: string): number[] | null {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text.trim())
  return match === null ? null : match.slice(1).map(Number)
}

function atLeast(version: number[], min: number[]): boolean {
  for (let i = 0; i < 3; i++) {
    const a = version[i] ?? 0
    const b = min[i] ?? 0
    if (a !== b) return a > b
  }
  return true
}

export interface ModuleInterface {
  sdkVersion: string
  interfaces: ITInterfaces
}

/** Decodes a module's IT section, checking the sections Marine requires are present. */
export function readServiceInterface(wasm: Uint8Array): ModuleInterface {
  const it = readCustomSection(wasm, 'interface-types')
  if (it === undefined) throw new WasmSectionError('the module has no interface-types section')
  const sdk = readCustomSection(wasm, '__fluence_sdk_version')
  if (sdk === undefined) throw new WasmSectionError('the module has no __fluence_sdk_version section')
  const sdkVersion = new TextDecoder().decode(sdk)
  const parsed = semver(sdkVersion)
  if (parsed === null || !atLeast(parsed, MIN_SDK_VERSION)) {
    throw new WasmSectionError(`SDK version "${sdkVersion}" is not a semver ≥ ${MIN_SDK_VERSION.join('.')}`)
  }
  const interfaces = flattenInterfaceTypes(decodeInterfaceTypes(it))
  const itVersion = semver(interfaces.version)
  if (itVersion === null || !atLeast(itVersion, MIN_IT_VERSION)) {
    throw new WasmSectionError(`IT version "${interfaces.version}" is not a semver ≥ ${MIN_IT_VERSION.join('.')}`)
  }
  return { sdkVersion, interfaces }
}
