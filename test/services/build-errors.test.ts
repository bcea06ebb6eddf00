// What Marine cannot express is refused at build time, naming the function or record and field.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMarineService } from '../../services/toolchain/index.js'
import { buildContract, buildService } from '../../services/toolchain/builder/index.js'
import { SERVICES, tempDir } from './helpers.js'

/** A service folder whose assembly/index.ts holds `source`. */
function serviceDir(source: string): string {
  const dir = tempDir('lineage-build-error-')
  mkdirSync(path.join(dir, 'assembly'))
  writeFileSync(path.join(dir, 'assembly', 'index.ts'), source)
  return dir
}

async function buildError(source: string): Promise<{ name: string; message: string }> {
  const dir = serviceDir(source)
  try {
    await buildService({ dir, outFile: path.join(dir, 'out.wasm') })
  } catch (err) {
    const { name, message } = err as Error
    return { name, message }
  }
  throw new Error('the build succeeded')
}

const long = 'n'.repeat(256)
const args = (count: number, type: string) => Array.from({ length: count }, (_, i) => `a${i}: ${type}`).join(', ')
const fields = (count: number) => Array.from({ length: count }, (_, i) => `  f${i}: i32 = 0;`).join('\n')

describe('names over 255 bytes', () => {
  it.each([
    [`export function ${long}(): void {}`, `function "${'n'.repeat(40)}…": the name is 256 bytes; Marine stores at most 255`],
    [`export function f(${long}: i32): void {}`, `function "f", argument "${'n'.repeat(40)}…": the name is 256 bytes; Marine stores at most 255`],
    [
      `export class R {\n  ${long}: i32 = 0;\n}\nexport function f(r: R): void {}`,
      `record "R", field "${'n'.repeat(40)}…": the name is 256 bytes; Marine stores at most 255`,
    ],
    [
      `export class ${'R'.repeat(300)} {\n  x: i32 = 0;\n}\nexport function f(): ${'R'.repeat(300)} { return new ${'R'.repeat(300)}(); }`,
      `record "${'R'.repeat(40)}…": the name is 300 bytes; Marine stores at most 255`,
    ],
    // Names are measured in UTF-8 bytes, not characters: 128 × "é" is 256 bytes.
    [`export function f(${'é'.repeat(128)}: i32): void {}`, `function "f", argument "${'é'.repeat(40)}…": the name is 256 bytes; Marine stores at most 255`],
  ])('refuses %#', async (source, message) => {
    expect(await buildError(source)).toEqual({ name: 'NameTooLongError', message })
  })
})

describe('more than 127 arguments, fields or instructions', () => {
  it('refuses 128 arguments', async () => {
    expect(await buildError(`export function wide(${args(128, 'i32')}): void {}`)).toEqual({
      name: 'TooManyItemsError',
      message: 'function "wide" has 128 arguments; Marine reads at most 127',
    })
  })

  it('refuses 128 fields', async () => {
    expect(await buildError(`export class Big {\n${fields(128)}\n}\nexport function f(b: Big): void {}`)).toEqual({
      name: 'TooManyItemsError',
      message: 'record "Big" has 128 fields; Marine reads at most 127',
    })
  })

  it('refuses an adapter longer than 127 instructions', async () => {
    expect(await buildError(`export function many(${args(21, 'string')}): string { return a0; }`)).toEqual({
      name: 'TooManyItemsError',
      message:
        'function "many" needs 131 adapter instructions; Marine reads at most 127 ' +
        '(a string argument takes 6, an integer, bool, array or record 2, a float 1: group arguments in a record)',
    })
  })

  it('counts instructions: 127 integer arguments need 255', async () => {
    expect(await buildError(`export function wide(${args(127, 'i32')}): void {}`)).toMatchObject({
      name: 'TooManyItemsError',
      message: expect.stringMatching(/^function "wide" needs 255 adapter instructions; Marine reads at most 127/),
    })
  })

  it('accepts a record of 127 fields and an adapter of exactly 127 instructions', async () => {
    const dir = serviceDir([
      `export class Big {\n${fields(127)}\n}`,
      'export function big(b: Big): i32 { return b.f126; }',
      `export function wide(${args(126, 'f64')}): f64 { return a125; }`,
    ].join('\n'))
    const built = await buildService({ dir, outFile: path.join(dir, 'out.wasm') })
    expect(built.service.records[0]!.fields).toHaveLength(127)
    expect(built.interfaceTypes.adapters[1]!.instructions).toHaveLength(127)
    const service = await loadMarineService(built.wasm, 'limits')
    expect(service.call('big', [Object.fromEntries(Array.from({ length: 127 }, (_, i) => [`f${i}`, i]))])).toBe(126)
    expect(service.call('wide', Array.from({ length: 126 }, (_, i) => i + 0.5))).toBe(125.5)
  })
})

describe('unsupported types', () => {
  const unsupported = (where: string, type: string) =>
    `${where}: type "${type}" cannot be expressed in Marine interface types ` +
    '(use bool, i8…i64, u8…u64, f32, f64, string, Uint8Array, Array<T> or an exported record class)'

  it.each([
    ['export function f(m: Map<string, i32>): void {}', unsupported('function "f", argument "m"', 'Map<string, i32>')],
    ['export function f(): string | null { return null; }', unsupported('function "f", result', 'string | null')],
    ['export function f(p: usize): void {}', unsupported('function "f", argument "p"', 'usize')],
    [
      'export class R {\n  xs: StaticArray<i32> = [];\n}\nexport function f(r: R): void {}',
      unsupported('record "R", field "xs"', 'StaticArray<i32>'),
    ],
    ['export class E {}\nexport function f(e: E): void {}', 'record "E" (used by function "f", argument "e") has no public fields; Marine records need at least one'],
    ['export class N {\n  next: N | null = null;\n  v: i32 = 0;\n}\nexport function f(n: N): void {}', unsupported('record "N", field "next"', 'N | null')],
    ['export class L {\n  items: Array<L> = [];\n}\nexport function f(l: L): void {}', 'record "L" contains itself; Marine records cannot be recursive'],
    ['export function f(x: i32 = 1): void {}', 'function "f", argument "x": optional, default and rest arguments are not supported'],
    ['export function f(x): void {}', 'function "f", argument "x": a type annotation is required'],
    ['export function f<T>(x: T): void {}', 'function "f": generic functions cannot be exported'],
  ])('refuses %#', async (source, message) => {
    const error = await buildError(source)
    expect(error.message).toBe(message)
    expect(['UnsupportedTypeError']).toContain(error.name)
  })

  it('refuses a record class that is not exported', async () => {
    const error = await buildError('class Hidden {\n  x: i32 = 0;\n}\nexport function f(h: Hidden): void {}')
    expect(error.name).toBe('ServiceBuildError')
    expect(error.message).toMatch(/^record "Hidden" \(used by function "f", argument "h"\) must be exported from .*assembly\/index\.ts$/)
  })

  it('refuses a name the Marine ABI reserves', async () => {
    expect(await buildError('export function allocate(): void {}')).toEqual({
      name: 'ServiceBuildError',
      message: 'function "allocate": the name is reserved by the Marine ABI',
    })
  })
})

describe('other failures', () => {
  it('reports an AssemblyScript compile error with its location', async () => {
    const error = await buildError('export function f(): i32 {\n  return "text";\n}')
    expect(error.name).toBe('CompileError')
    expect(error.message).toMatch(/failed: ERROR TS2322: Type '~lib\/string\/String' is not assignable to type 'i32'\. \(.*assembly\/index\.ts\(2,10\)\)$/)
  })

  it('refuses a folder without assembly/index.ts', async () => {
    const dir = tempDir('lineage-empty-')
    await expect(buildService({ dir, outFile: path.join(dir, 'x.wasm') })).rejects.toMatchObject({
      name: 'ServiceBuildError',
      message: `${dir} has no assembly/index.ts`,
    })
  })

  it('refuses a contract that does not implement the meta contract interface', async () => {
    await expect(buildContract({ dir: path.join(SERVICES, 'keys'), outFile: path.join(tempDir('lineage-c-'), 'k.wasm') })).rejects.toMatchObject({
      name: 'ServiceBuildError',
      message: 'a meta contract must export on_execute(contract: MetaContract, metadatas: []Metadata, transaction: Transaction) -> MetaContractResult',
    })
    const dir = serviceDir([
      'import { MetaContract, MetaContractResult, Metadata, Transaction, accept, FinalMetadata } from "@lineage/contract-sdk";',
      'export function on_execute(contract: MetaContract, metadatas: Array<Metadata>, transaction: Transaction): MetaContractResult { return accept(new Array<FinalMetadata>()); }',
      'export function on_mint(contract: MetaContract, data_key: string, token_id: string): MetaContractResult { return accept(new Array<FinalMetadata>()); }',
      'export function on_clone(): bool { return true; }',
    ].join('\n'))
    await expect(buildContract({ dir })).rejects.toMatchObject({
      name: 'ServiceBuildError',
      message:
        'on_mint must be on_mint(contract: MetaContract, data_key: string, token_id: string, data: string) -> MetaContractResult, ' +
        'found on_mint(contract: MetaContract, data_key: string, token_id: string) -> MetaContractResult',
    })
  })
})
