// Reads and writes custom sections of a Wasm binary without touching the other sections.
import { ByteReader, ByteWriter } from './bytes.js'
import { InterfaceTypeError, WasmSectionError } from './errors.js'

const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
const CUSTOM_SECTION_ID = 0

export interface WasmSection {
  id: number
  /** Byte range of the whole section (id, size and payload) in the binary. */
  start: number
  end: number
  /** Set for custom sections. */
  name?: string
  /** Payload after the custom section's name, or the whole payload for other sections. */
  content: Uint8Array
}

export function readSections(wasm: Uint8Array): WasmSection[] {
  if (wasm.length < 8 || WASM_HEADER.some((b, i) => wasm[i] !== b)) {
    throw new WasmSectionError('not a Wasm 1.0 binary (bad magic or version)')
  }
  const input = new ByteReader(wasm, 8)
  const sections: WasmSection[] = []
  try {
    while (!input.done) {
      const start = input.offset
      const id = input.byte()
      const size = input.uleb()
      const payloadStart = input.offset
      const end = payloadStart + size
      if (end > wasm.length) throw new WasmSectionError(`section ${id} at byte ${start} runs past the end of the binary`)
      if (id === CUSTOM_SECTION_ID) {
        const inner = new ByteReader(wasm, payloadStart, end)
        const name = inner.wasmName()
        sections.push({ id, start, end, name, content: wasm.subarray(inner.offset, end) })
      } else {
        sections.push({ id, start, end, content: wasm.subarray(payloadStart, end) })
      }
      input.offset = end
    }
  } catch (err) {
    if (err instanceof InterfaceTypeError) throw new WasmSectionError(`malformed Wasm binary: ${err.message}`)
    throw err
  }
  return sections
}

export function readCustomSections(wasm: Uint8Array, name: string): Uint8Array[] {
  return readSections(wasm)
    .filter((s) => s.id === CUSTOM_SECTION_ID && s.name === name)
    .map((s) => s.content)
}

/** The single custom section called `name`, or undefined; more than one is an error (Marine rejects it too). */
export function readCustomSection(wasm: Uint8Array, name: string): Uint8Array | undefined {
  const found = readCustomSections(wasm, name)
  if (found.length > 1) throw new WasmSectionError(`the binary has ${found.length} "${name}" sections; Marine needs exactly one`)
  return found[0]
}

export function encodeCustomSection(name: string, content: Uint8Array): Uint8Array {
  const payload = new ByteWriter().wasmName(name).bytes(content).finish()
  return new ByteWriter().byte(CUSTOM_SECTION_ID).uleb(payload.length).bytes(payload).finish()
}

/** Returns a copy of `wasm` where every custom section called `name` is replaced by one at the end. */
export function writeCustomSection(wasm: Uint8Array, name: string, content: Uint8Array): Uint8Array {
  const kept = removeCustomSection(wasm, name)
  const section = encodeCustomSection(name, content)
  const out = new Uint8Array(kept.length + section.length)
  out.set(kept, 0)
  out.set(section, kept.length)
  return out
}

export function removeCustomSection(wasm: Uint8Array, name: string): Uint8Array {
  const parts: Uint8Array[] = [wasm.subarray(0, 8)]
  for (const s of readSections(wasm)) {
    if (s.id === CUSTOM_SECTION_ID && s.name === name) continue
    parts.push(wasm.subarray(s.start, s.end))
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
