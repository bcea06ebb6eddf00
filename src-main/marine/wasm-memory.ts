import { encodeUvarint, readUvarint } from '../util/index.js'
import { CONTRACT_MAX_WASM_BYTES, WASM_PAGE_BYTES } from './constants.js'

/** Wasm binary section ids this file cares about. */
const SECTION_IMPORT = 2
const SECTION_MEMORY = 5
const MAGIC = [0x00, 0x61, 0x73, 0x6d]

class Reader {
  offset = 0
  constructor (readonly bytes: Uint8Array) {}

  /** A u32 as Wasm writes it: unsigned LEB128 of at most 5 bytes, its value taken modulo 2^32. */
  u32 (): number {
    const head = readUvarint(this.bytes, this.offset, 5)
    if (head === undefined) throw new Error('truncated LEB128 number')
    if (head === null) throw new Error('LEB128 number too long')
    this.offset += head.length
    return head.value >>> 0
  }

  byte (): number {
    if (this.offset >= this.bytes.length) throw new Error('unexpected end of module')
    return this.bytes[this.offset++] ?? 0
  }
}

function leb (value: number): number[] {
  return [...encodeUvarint(value >>> 0)]
}

export interface MemoryLimitResult {
  wasm: Uint8Array
  initialPages: number
  maxPages: number
}

/**
 * Returns the module with its linear memory capped at `maxPages`: the memory section's limits
 * get a maximum (or a lower one), so `memory.grow` beyond the budget fails inside the module
 * instead of taking the node's memory. Modules that import memory, declare several, use shared
 * or 64-bit memory, or need more than the budget from the start are refused.
 */
export function limitMemory (wasm: Uint8Array, maxPages: number): MemoryLimitResult {
  if (wasm.length > CONTRACT_MAX_WASM_BYTES) throw new Error(`the module is ${wasm.length} bytes; the limit is ${CONTRACT_MAX_WASM_BYTES}`)
  if (wasm.length < 8 || MAGIC.some((b, i) => wasm[i] !== b)) throw new Error('not a WebAssembly module')
  const reader = new Reader(wasm)
  reader.offset = 8
  let result: MemoryLimitResult | undefined

  while (reader.offset < wasm.length) {
    const sectionStart = reader.offset
    const id = reader.byte()
    const size = reader.u32()
    const contentStart = reader.offset
    const end = contentStart + size
    if (end > wasm.length) throw new Error('a section runs past the end of the module')

    if (id === SECTION_IMPORT) refuseImportedMemory(new Reader(wasm.subarray(contentStart, end)))
    if (id === SECTION_MEMORY) {
      if (result !== undefined) throw new Error('the module has two memory sections')
      const section = new Reader(wasm.subarray(contentStart, end))
      if (section.u32() !== 1) throw new Error('a contract must declare exactly one memory')
      const flags = section.byte()
      if (flags !== 0x00 && flags !== 0x01) throw new Error('shared or 64-bit memory is not allowed')
      const initial = section.u32()
      const declaredMax = flags === 0x01 ? section.u32() : Number.POSITIVE_INFINITY
      if (initial > maxPages) {
        throw new Error(`the module asks for ${initial * WASM_PAGE_BYTES / 1024 / 1024} MiB of memory at start; a contract may use at most ${maxPages * WASM_PAGE_BYTES / 1024 / 1024} MiB`)
      }
      const cappedMax = Math.min(declaredMax, maxPages)
      const content = [...leb(1), 0x01, ...leb(initial), ...leb(cappedMax)]
      const rewritten = new Uint8Array(sectionStart + 1 + leb(content.length).length + content.length + (wasm.length - end))
      rewritten.set(wasm.subarray(0, sectionStart), 0)
      rewritten.set([SECTION_MEMORY, ...leb(content.length), ...content], sectionStart)
      rewritten.set(wasm.subarray(end), sectionStart + 1 + leb(content.length).length + content.length)
      result = { wasm: rewritten, initialPages: initial, maxPages: cappedMax }
      // The rewritten module has the same sections after this one; keep checking them there.
      reader.offset = end
      continue
    }
    reader.offset = end
  }
  if (result === undefined) throw new Error('the module declares no memory (a Marine service must export one)')
  return result
}

function refuseImportedMemory (section: Reader): void {
  const count = section.u32()
  for (let i = 0; i < count; i++) {
    for (let name = 0; name < 2; name++) {
      const length = section.u32()
      section.offset += length
    }
    const kind = section.byte()
    if (kind === 0x02) throw new Error('the module imports its memory; a contract must declare its own')
    if (kind === 0x00) section.u32()
    else if (kind === 0x01) { section.byte(); skipLimits(section) }
    else if (kind === 0x03) { section.byte(); section.byte() }
    else throw new Error(`unknown import kind ${kind}`)
  }
}

function skipLimits (section: Reader): void {
  const flags = section.byte()
  section.u32()
  if ((flags & 0x01) !== 0) section.u32()
}
