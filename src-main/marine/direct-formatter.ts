import { readServiceInterface } from '../../services/toolchain/index.js'
import type { ITRecordType, ITType } from '../../services/toolchain/index.js'
import { FormatterInterfaceError } from './errors.js'
import type { FormatOutcome, FormatterSlot, MetadataFormatter } from './formatter.js'

/** The fields of the formatter's records, in the order its IT section must give them. */
const SLOT_FIELDS = ['alias', 'public_key', 'version', 'content'] as const
const RESULT_FIELDS = [['ok', 'bool'], ['json', 'string'], ['error', 'string']] as const
/** Marine's allocate tags: 1 for bytes (u8), 3 for u32 and pointers. */
const BYTES_TAG = 1
const POINTER_TAG = 3
/** A lowered string or record field: u32 pointer, u32 length. */
const STRING_BYTES = 8
/** A FormatResult body: bool (1 byte), then two strings, no padding. */
const RESULT_BYTES = 1 + 2 * STRING_BYTES

interface FormatterExports {
  memory: WebAssembly.Memory
  allocate: (size: number, tag: number) => number
  release_objects: () => void
  get_result_ptr: () => number
  format: (tokenPtr: number, tokenLen: number, slotsPtr: number, slotsLen: number) => void
  _initialize?: () => void
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * The `formatter` service called straight through WebAssembly, writing its arguments into its
 * memory and reading its result as Marine's memory protocol lays them out
 * (../shared/docs/marine-abi.md), instead of through marine-js, whose conversion of every string
 * and record in and out cost as much as the formatting itself (237 against 112 µs of CPU for a
 * 500-byte document). The same Wasm runs, so the bytes are the same:
 * test/marine/direct-formatter.test.ts holds it to marine-js on seeded random slots. Trusted, as
 * the service was: it runs in this thread with no budget. Throws FormatterInterfaceError when the
 * module's interface is not the one this caller lowers.
 */
export function formatterFromWasm (wasm: Uint8Array): MetadataFormatter {
  checkInterface(wasm)
  const module = new WebAssembly.Module(wasm)
  if (WebAssembly.Module.imports(module).length > 0) throw new FormatterInterfaceError('it imports functions; the formatter must need none')
  let exports = instantiate(module)
  return {
    format (tokenId, slots) {
      try {
        return callFormat(exports, tokenId, slots)
      } catch (err) {
        // A trap leaves the module's heap in an unknown state: the next call gets a fresh one.
        exports = instantiate(module)
        throw err
      }
    },
  }
}

function instantiate (module: WebAssembly.Module): FormatterExports {
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as FormatterExports
  exports._initialize?.()
  return exports
}

function callFormat (x: FormatterExports, tokenId: string, slots: readonly FormatterSlot[]): FormatOutcome {
  const [tokenPtr, tokenLen] = lowerString(x, tokenId)
  const records = slots.map(slot => {
    const fields = SLOT_FIELDS.map(name => lowerString(x, slot[name]))
    const record = x.allocate(SLOT_FIELDS.length * STRING_BYTES, POINTER_TAG)
    const view = new DataView(x.memory.buffer, record, SLOT_FIELDS.length * STRING_BYTES)
    fields.forEach(([ptr, len], i) => {
      view.setUint32(i * STRING_BYTES, ptr, true)
      view.setUint32(i * STRING_BYTES + 4, len, true)
    })
    return record
  })
  const array = records.length === 0 ? 0 : x.allocate(records.length * 4, POINTER_TAG)
  if (array !== 0) {
    const view = new DataView(x.memory.buffer, array, records.length * 4)
    records.forEach((record, i) => { view.setUint32(i * 4, record, true) })
  }
  x.format(tokenPtr, tokenLen, array, records.length)
  try {
    const result = new DataView(x.memory.buffer, x.get_result_ptr(), RESULT_BYTES)
    const text = (offset: number): string => {
      const len = result.getUint32(offset + 4, true)
      return len === 0 ? '' : decoder.decode(new Uint8Array(x.memory.buffer, result.getUint32(offset, true), len))
    }
    return result.getUint8(0) !== 0 ? { ok: true, json: text(1) } : { ok: false, error: text(1 + STRING_BYTES) }
  } finally {
    x.release_objects()
  }
}

/** A string in memory the callee owns (and frees), as Marine lowers it; empty is (0, 0). */
function lowerString (x: FormatterExports, text: string): [number, number] {
  const bytes = encoder.encode(text)
  if (bytes.length === 0) return [0, 0]
  const ptr = x.allocate(bytes.length, BYTES_TAG)
  new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes)
  return [ptr, bytes.length]
}

/** `format(token_id: string, slots: []Slot) -> FormatResult`, with the records' fields in order. */
function checkInterface (wasm: Uint8Array): void {
  const { interfaces } = readServiceInterface(wasm)
  const exported = interfaces.exports.find(e => e.name === 'format')
  const implementation = interfaces.implementations.find(i => i.coreType === exported?.type)
  const fn = implementation === undefined ? undefined : interfaces.types[implementation.adapterType]
  const record = (type: ITType | undefined): ITRecordType | undefined => {
    const entry = type?.kind === 'record' ? interfaces.types[type.id] : undefined
    return entry?.kind === 'record' ? entry : undefined
  }
  const slots = fn?.kind === 'function' ? fn.args[1]?.type : undefined
  const slot = slots?.kind === 'array' ? record(slots.of) : undefined
  const result = fn?.kind === 'function' ? record(fn.outputs[0]) : undefined
  const matches = fn?.kind === 'function' && fn.args.length === 2 && fn.args[0]?.type.kind === 'string' && fn.outputs.length === 1 &&
    slot !== undefined && slot.fields.length === SLOT_FIELDS.length && slot.fields.every((f, i) => f.name === SLOT_FIELDS[i] && f.type.kind === 'string') &&
    result !== undefined && result.fields.length === RESULT_FIELDS.length && result.fields.every((f, i) => f.name === RESULT_FIELDS[i]?.[0] && f.type.kind === RESULT_FIELDS[i]?.[1])
  if (!matches) throw new FormatterInterfaceError('its format function is not format(token_id: string, slots: []Slot{alias, public_key, version, content}) -> FormatResult{ok, json, error}')
}
