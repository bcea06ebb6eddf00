// The IT section codec and the custom-section reader/writer, on every module this repo builds.
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  decodeInterfaceTypes, encodeCustomSection, encodeInterfaceTypes, flattenInterfaceTypes, readCustomSection, readCustomSections,
  readSections, readServiceInterface, removeCustomSection, writeCustomSection,
} from '../../services/toolchain/index.js'
import type { ITSection } from '../../services/toolchain/index.js'
import { SERVICE_NAMES } from '../../services/toolchain/builder/index.js'
import type { BuiltService } from '../../services/toolchain/builder/index.js'
import { build, FIXTURES, SERVICES } from './helpers.js'

const modules = new Map<string, BuiltService>()

beforeAll(async () => {
  for (const name of SERVICE_NAMES) modules.set(name, await build(name))
  modules.set('template', await build('template', path.join(SERVICES, 'template')))
  modules.set('roundtrip', await build('roundtrip', path.join(FIXTURES, 'roundtrip')))
})

const names = [...SERVICE_NAMES, 'template', 'roundtrip']

describe('every built module', () => {
  it.each(names)('%s: the decoder re-encodes its IT section byte for byte', (name) => {
    const wasm = modules.get(name)!.wasm
    const section = readCustomSection(wasm, 'interface-types')!
    expect(section.length).toBeGreaterThan(0)
    const decoded = decodeInterfaceTypes(section)
    expect(Buffer.from(encodeInterfaceTypes(decoded)).equals(Buffer.from(section))).toBe(true)
  })

  it.each(names)('%s: carries one SDK version and IT sections Marine accepts', (name) => {
    const built = modules.get(name)!
    const { sdkVersion, interfaces } = readServiceInterface(built.wasm)
    expect(sdkVersion).toBe('0.14.0')
    expect(interfaces).toEqual(built.interfaceTypes)
    expect(interfaces.exports.slice(0, 6).map((e) => e.name)).toEqual([
      'allocate', 'release_objects', 'get_result_size', 'get_result_ptr', 'set_result_size', 'set_result_ptr',
    ])
  })
})

describe('the keys interface', () => {
  it('decodes to the exact layout Marine expects', () => {
    const { interfaces } = readServiceInterface(modules.get('keys')!.wasm)
    const str = { kind: 'string' }
    expect(interfaces.version).toBe('0.27.0')
    expect(interfaces.types.slice(6)).toEqual([
      { kind: 'function', args: [{ name: 'chain_id', type: str }, { name: 'token_address', type: str }], outputs: [str] },
      { kind: 'function', args: [{ name: 'chain_id', type: str }, { name: 'token_address', type: str }], outputs: [str] },
      { kind: 'function', args: [{ name: 'chain_id', type: str }, { name: 'token_address', type: str }, { name: 'token_id', type: str }], outputs: [str] },
      { kind: 'function', args: [{ name: 'chain_id', type: str }, { name: 'token_address', type: str }, { name: 'token_id', type: str }], outputs: [str] },
    ])
    expect(interfaces.exports.slice(6)).toEqual([{ name: 'token_key', type: 7 }, { name: 'data_key', type: 9 }])
    expect(interfaces.implementations).toEqual([{ coreType: 7, adapterType: 6 }, { coreType: 9, adapterType: 8 }])
    const lowerString = (i: number) => [
      { op: 'arg.get', index: i }, { op: 'string.size' }, { op: 'push.i32', value: 1 }, { op: 'call-core', index: 0 },
      { op: 'arg.get', index: i }, { op: 'string.lower_memory' },
    ]
    expect(interfaces.adapters[0]).toEqual({
      type: 6,
      instructions: [
        ...lowerString(0), ...lowerString(1), { op: 'call-core', index: 6 },
        { op: 'call-core', index: 3 }, { op: 'call-core', index: 2 }, { op: 'string.lift_memory' }, { op: 'call-core', index: 1 },
      ],
    })
  })
})

describe('the codec on hand-written bytes', () => {
  it('encodes a record, an array of records and scalar casts with single-byte names and counts', () => {
    const section: ITSection = {
      entries: [
        { kind: 'version', version: '0.27.0' },
        {
          kind: 'types',
          items: [
            { kind: 'record', name: 'R', fields: [{ name: 'a', type: { kind: 'u64' } }] },
            { kind: 'function', args: [{ name: 'x', type: { kind: 'array', of: { kind: 'record', id: 0 } } }], outputs: [{ kind: 'bool' }] },
          ],
        },
        { kind: 'adapters', items: [{ type: 1, instructions: [{ op: 'arg.get', index: 0 }, { op: 'array.lower_memory', type: { kind: 'record', id: 0 } }, { op: 'bool.from_i32' }] }] },
        { kind: 'exports', items: [{ name: 'f', type: 1 }] },
        { kind: 'implementations', items: [{ coreType: 1, adapterType: 1 }] },
      ],
    }
    const bytes = encodeInterfaceTypes(section)
    expect([...bytes]).toEqual([
      0x05, 6, ...Buffer.from('0.27.0'),
      0x00, 2, 0x01, 1, 0x52, 1, 1, 0x61, 0x07, 0x00, 1, 1, 0x78, 0x36, 0x0e, 0, 1, 0x0b,
      0x02, 1, 1, 3, 0x00, 0, 0x38, 0x0e, 0, 0x3e,
      0x03, 1, 1, 0x66, 1,
      0x04, 1, 1, 1,
    ])
    expect(decodeInterfaceTypes(bytes)).toEqual(section)
  })

  it('writes LEB128 for type indices above 127', () => {
    const section: ITSection = { entries: [{ kind: 'exports', items: [{ name: 'f', type: 300 }] }] }
    expect([...encodeInterfaceTypes(section)]).toEqual([0x03, 1, 1, 0x66, 0xac, 0x02])
  })

  it('refuses names over 255 bytes and lists over 127 items', () => {
    const long: ITSection = { entries: [{ kind: 'version', version: 'é'.repeat(128) }] }
    expect(() => encodeInterfaceTypes(long)).toThrow(expect.objectContaining({ name: 'InterfaceTypeError', message: expect.stringMatching(/256 bytes; at most 255/) }))
    const wide: ITSection = {
      entries: [{ kind: 'types', items: [{ kind: 'function', args: Array.from({ length: 128 }, (_, i) => ({ name: `a${i}`, type: { kind: 'i32' } })), outputs: [] }] }],
    }
    expect(() => encodeInterfaceTypes(wide)).toThrow(expect.objectContaining({ name: 'InterfaceTypeError', message: 'argument list has 128 items; Marine reads at most 127' }))
  })

  it('names the byte of an unknown entry, type or instruction', () => {
    expect(() => decodeInterfaceTypes(Uint8Array.from([0x09]))).toThrow(expect.objectContaining({ name: 'InterfaceTypeError', message: 'unknown interface entry kind 0x9 at byte 0' }))
    expect(() => decodeInterfaceTypes(Uint8Array.from([0x03, 1, 1, 0x66]))).toThrow(expect.objectContaining({ name: 'InterfaceTypeError', message: 'unexpected end of data at byte 4' }))
    expect(() => flattenInterfaceTypes({ entries: [] })).toThrow(expect.objectContaining({ name: 'InterfaceTypeError', message: 'expected exactly one IT version entry, found 0' }))
  })
})

describe('custom sections', () => {
  const empty = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])

  it('adds, replaces and removes a named section, keeping the others', () => {
    const one = writeCustomSection(empty, 'note', Uint8Array.from([1, 2]))
    expect([...one]).toEqual([...empty, 0, 7, 4, ...Buffer.from('note'), 1, 2])
    expect([...encodeCustomSection('note', Uint8Array.from([1, 2]))]).toEqual([0, 7, 4, ...Buffer.from('note'), 1, 2])
    const two = writeCustomSection(writeCustomSection(one, 'other', Uint8Array.from([9])), 'note', Uint8Array.from([3]))
    expect(readSections(two).map((s) => s.name)).toEqual(['other', 'note'])
    expect([...readCustomSection(two, 'note')!]).toEqual([3])
    expect(readSections(removeCustomSection(two, 'note')).map((s) => s.name)).toEqual(['other'])
  })

  it('keeps a real module valid and its code untouched', () => {
    const wasm = modules.get('keys')!.wasm
    // The SDK version section is written last, so writing it again reproduces the module exactly.
    const rewritten = writeCustomSection(wasm, '__fluence_sdk_version', readCustomSection(wasm, '__fluence_sdk_version')!)
    expect(Buffer.from(rewritten).equals(Buffer.from(wasm))).toBe(true)
    const codeOf = (bytes: Uint8Array) => readSections(bytes).filter((s) => s.id !== 0).map((s) => Buffer.from(s.content).toString('hex'))
    expect(codeOf(removeCustomSection(wasm, 'interface-types'))).toEqual(codeOf(wasm))
    expect(() => new WebAssembly.Module(writeCustomSection(wasm, 'extra', Uint8Array.from([1])))).not.toThrow()
  })

  it('refuses a binary that is not Wasm, one cut short, and duplicate sections Marine would reject', () => {
    expect(() => readSections(Uint8Array.from([1, 2, 3]))).toThrow(expect.objectContaining({ name: 'WasmSectionError', message: 'not a Wasm 1.0 binary (bad magic or version)' }))
    expect(() => readSections(Uint8Array.from([...empty, 0, 9, 1]))).toThrow(expect.objectContaining({ name: 'WasmSectionError', message: 'section 0 at byte 8 runs past the end of the binary' }))
    const twice = Uint8Array.from([...encodeCustomSection('interface-types', Uint8Array.from([])), ...encodeCustomSection('interface-types', Uint8Array.from([]))])
    const doubled = Uint8Array.from([...empty, ...twice])
    expect(readCustomSections(doubled, 'interface-types')).toHaveLength(2)
    expect(() => readCustomSection(doubled, 'interface-types')).toThrow(expect.objectContaining({ name: 'WasmSectionError', message: 'the binary has 2 "interface-types" sections; Marine needs exactly one' }))
  })

  it('refuses a module without the sections Marine requires', () => {
    expect(() => readServiceInterface(empty)).toThrow(expect.objectContaining({ name: 'WasmSectionError', message: 'the module has no interface-types section' }))
    const old = writeCustomSection(writeCustomSection(empty, 'interface-types', Uint8Array.from([0x05, 1, 0x31])), '__fluence_sdk_version', Buffer.from('0.5.9'))
    expect(() => readServiceInterface(old)).toThrow(expect.objectContaining({ name: 'WasmSectionError', message: 'SDK version "0.5.9" is not a semver ≥ 0.6.0' }))
    const oldIt = writeCustomSection(writeCustomSection(empty, 'interface-types', Uint8Array.from([0x05, 6, ...Buffer.from('0.19.9')])), '__fluence_sdk_version', Buffer.from('0.14.0'))
    expect(() => readServiceInterface(oldIt)).toThrow(expect.objectContaining({ name: 'WasmSectionError', message: 'IT version "0.19.9" is not a semver ≥ 0.20.0' }))
  })
})
