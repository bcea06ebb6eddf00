// A contract's function called straight through WebAssembly, in the sandbox worker, on the very
// instance marine-js made: arguments lowered and the result lifted as Marine's memory protocol
// does (../shared/docs/marine-abi.md), and the result measured as the JSON text marine-js would
// have made of it. The sandbox worker loads this file by URL, so it imports nothing relative and
// keeps to erasable syntax; direct-plan.ts (main thread) checks the interface and writes the plan.
import { isUtf8 } from 'node:buffer'

/** A value's type as the plan gives it: only what Marine lowers and lifts without casts. */
export type PlanType =
  | { kind: 'string' }
  | { kind: 'bool' }
  /** `tag`: the allocate tag Marine gives an array of them. */
  | { kind: 'int', bytes: 1 | 2 | 4 | 8, signed: boolean, tag: number }
  /** `size`: the body's bytes; `keyOrder`: field indices as marine-js's JSON orders keys (by name, bytewise); `keyBytes`: `"name":` per field. */
  | { kind: 'record', fields: PlanType[], names: string[], size: number, keyOrder: number[], keyBytes: number }
  | { kind: 'array', of: PlanType }

/** One function the direct path calls: its core export, argument types (string, record or array) and record result. */
export interface PlanFunction { core: string, args: PlanType[], output: PlanType }

/** What a module's interface lets the direct path call, by function name. */
export type DirectPlan = Record<string, PlanFunction>

/** The instance's exports the direct path uses. */
export interface ContractExports {
  memory: WebAssembly.Memory
  allocate: (size: number, tag: number) => number
  release_objects: () => void
  get_result_ptr: () => number
  [name: string]: unknown
}

/** The call's result, and the bytes of the JSON text marine-js would have made of it (`value` undefined past `maxBytes`). */
export interface DirectAnswer { value: unknown, bytes: number }

/** A lowering or lifting Marine would refuse (out-of-bounds memory, invalid UTF-8): fails the call as a trap. */
export class DirectAbiError extends Error {
  override name = 'DirectAbiError'
}

/** Marine's allocate tag for bytes. */
const BYTES_TAG = 1
const POINTER_BYTES = 4
const PAIR_BYTES = 8
const encoder = new TextEncoder()
// Marine keeps a leading byte-order mark and refuses invalid UTF-8.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
// serde_json's escapes: the quote, the backslash and every control character below U+0020.
// eslint-disable-next-line no-control-regex
const ESCAPED = /["\\\u0000-\u001f]/g
// Most strings need none: one test before counting.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/
const SHORT_ESCAPES = new Set(['"', '\\', '\b', '\f', '\n', '\r', '\t'])

/** Size in bytes of a type's slot in a record body or an array. */
function slotBytes (type: PlanType): number {
  switch (type.kind) {
    case 'string': case 'array': return PAIR_BYTES
    case 'record': return POINTER_BYTES
    case 'bool': return 1
    case 'int': return type.bytes
  }
}

/** Whether `value` is what JSON.stringify would send to marine-js as this type, and marine-js would take as is. */
export function fits (value: unknown, type: PlanType): boolean {
  switch (type.kind) {
    case 'string': return typeof value === 'string' && (value as unknown as { isWellFormed(): boolean }).isWellFormed()
    case 'bool': return typeof value === 'boolean'
    case 'int': {
      if (!Number.isSafeInteger(value)) return false
      const n = value as number
      if (type.bytes === 8) return type.signed || n >= 0
      const span = 2 ** (8 * type.bytes)
      return type.signed ? n >= -span / 2 && n < span / 2 : n >= 0 && n < span
    }
    case 'array': return Array.isArray(value) && value.every(v => fits(v, type.of))
    case 'record': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
      const record = value as Record<string, unknown>
      if (Object.keys(record).length !== type.names.length) return false
      return type.names.every((name, i) => Object.hasOwn(record, name) && fits(record[name], type.fields[i] as PlanType))
    }
  }
}

/** Reads and writes the instance's memory, whose buffer changes when it grows. */
class Memory {
  private readonly x: ContractExports
  constructor (x: ContractExports) { this.x = x }

  get bytes (): Uint8Array { return new Uint8Array(this.x.memory.buffer) }

  /** Marine's bounds check: the range must end before the memory's last byte (it checks `end >= size`). */
  check (offset: number, length: number): void {
    if (offset + length >= this.x.memory.buffer.byteLength) throw new DirectAbiError(`memory access out of bounds: ${length} bytes at ${offset}`)
  }

  write (offset: number, data: Uint8Array): void {
    if (offset + data.length > this.x.memory.buffer.byteLength) throw new DirectAbiError(`memory access out of bounds: ${data.length} bytes at ${offset}`)
    this.bytes.set(data, offset)
  }

  allocate (size: number, tag: number): number {
    return this.x.allocate(size, tag) >>> 0
  }
}

/** A string as Marine writes it anywhere but a top-level argument: allocate (tag u8, even when empty), then the bytes. */
function lowerBytes (m: Memory, data: Uint8Array): number {
  const ptr = m.allocate(data.length, BYTES_TAG)
  m.write(ptr, data)
  return ptr
}

/** Lowers one value into a slot: writes its slot bytes into `slot` at `at`. */
function lowerInto (m: Memory, value: unknown, type: PlanType, slot: DataView, at: number): void {
  switch (type.kind) {
    case 'string': {
      const data = encoder.encode(value as string)
      slot.setUint32(at, lowerBytes(m, data), true)
      slot.setUint32(at + 4, data.length, true)
      return
    }
    case 'bool': slot.setUint8(at, value === true ? 1 : 0); return
    case 'int': {
      const n = value as number
      if (type.bytes === 8) slot.setBigUint64(at, BigInt.asUintN(64, BigInt(n)), true)
      else if (type.bytes === 4) slot.setUint32(at, n >>> 0, true)
      else if (type.bytes === 2) slot.setUint16(at, n & 0xffff, true)
      else slot.setUint8(at, n & 0xff)
      return
    }
    case 'array': {
      const [ptr, count] = lowerArray(m, value as unknown[], type.of)
      slot.setUint32(at, ptr, true)
      slot.setUint32(at + 4, count, true)
      return
    }
    case 'record': slot.setUint32(at, lowerRecord(m, value as Record<string, unknown>, type), true)
  }
}

/** Marine's record lowering: the fields first (in order), then the body, allocated as bytes. */
function lowerRecord (m: Memory, record: Record<string, unknown>, type: Extract<PlanType, { kind: 'record' }>): number {
  const body = new DataView(new ArrayBuffer(type.size))
  let at = 0
  type.fields.forEach((field, i) => {
    lowerInto(m, record[type.names[i] as string], field, body, at)
    at += slotBytes(field)
  })
  return lowerBytes(m, new Uint8Array(body.buffer))
}

/** Marine's array lowering: nothing for an empty array; else the array first (tagged by element), then each element in turn. */
function lowerArray (m: Memory, values: unknown[], of: PlanType): [number, number] {
  if (values.length === 0) return [0, 0]
  const each = slotBytes(of)
  const ptr = m.allocate(each * values.length, of.kind === 'int' ? of.tag : of.kind === 'bool' ? 0 : 3)
  values.forEach((value, i) => {
    const slot = new DataView(new ArrayBuffer(each))
    lowerInto(m, value, of, slot, 0)
    m.write(ptr + i * each, new Uint8Array(slot.buffer))
  })
  return [ptr, values.length]
}

/** A top-level argument as the adapter lowers it: a string through `allocate(len, 1)` and a checked write; arrays and records as above. */
function lowerArgument (m: Memory, value: unknown, type: PlanType, params: number[]): void {
  if (type.kind === 'string') {
    const data = encoder.encode(value as string)
    const ptr = m.allocate(data.length, BYTES_TAG)
    m.check(ptr, data.length)
    m.bytes.set(data, ptr)
    params.push(ptr, data.length)
  } else if (type.kind === 'array') {
    params.push(...lowerArray(m, value as unknown[], type.of))
  } else {
    params.push(lowerRecord(m, value as Record<string, unknown>, type as Extract<PlanType, { kind: 'record' }>))
  }
}

/** Lifts values, counting the bytes of marine-js's JSON text; past `maxBytes` it only counts (and checks), building nothing. */
class Lifter {
  bytes = 0
  private readonly m: Memory
  private readonly maxBytes: number
  constructor (m: Memory, maxBytes: number) {
    this.m = m
    this.maxBytes = maxBytes
  }

  private get counting (): boolean { return this.bytes > this.maxBytes }

  string (ptr: number, len: number): string | undefined {
    this.m.check(ptr, len)
    const data = this.m.bytes.subarray(ptr, ptr + len)
    if (this.counting) {
      if (!isUtf8(data)) throw new DirectAbiError('the result holds invalid UTF-8')
      let extra = 0
      for (const b of data) if (b < 0x20 || b === 0x22 || b === 0x5c) extra += b === 0x22 || b === 0x5c || b === 8 || b === 9 || b === 10 || b === 12 || b === 13 ? 1 : 5
      this.bytes += len + 2 + extra
      return undefined
    }
    let text: string
    try {
      text = decoder.decode(data)
    } catch {
      throw new DirectAbiError('the result holds invalid UTF-8')
    }
    let extra = 0
    if (NEEDS_ESCAPE.test(text)) for (const [c] of text.matchAll(ESCAPED)) extra += SHORT_ESCAPES.has(c) ? 1 : 5
    this.bytes += len + 2 + extra
    return text
  }

  /** The value in the slot at `at` (bounds already checked for the slot). */
  slot (view: DataView, at: number, type: PlanType): unknown {
    switch (type.kind) {
      case 'string': return this.string(view.getUint32(at, true), view.getUint32(at + 4, true))
      case 'bool': {
        const b = view.getUint8(at) !== 0
        this.bytes += b ? 4 : 5
        return b
      }
      case 'int': {
        const n = type.bytes === 8
          ? (type.signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true))
          : type.bytes === 4 ? (type.signed ? view.getInt32(at, true) : view.getUint32(at, true))
            : type.bytes === 2 ? (type.signed ? view.getInt16(at, true) : view.getUint16(at, true))
              : (type.signed ? view.getInt8(at) : view.getUint8(at))
        this.bytes += String(n).length
        return Number(n)
      }
      case 'array': return this.array(view.getUint32(at, true), view.getUint32(at + 4, true), type.of)
      case 'record': return this.record(view.getUint32(at, true), type)
    }
  }

  array (ptr: number, count: number, of: PlanType): unknown[] | undefined {
    this.bytes += count === 0 ? 2 : 1 + count
    if (count === 0) return this.counting ? undefined : []
    const each = slotBytes(of)
    this.m.check(ptr, each * count)
    const out: unknown[] = []
    // Nothing runs in the module while a result is lifted: its memory stays as it is.
    const view = new DataView(this.m.bytes.buffer, ptr, each * count)
    for (let i = 0; i < count; i++) {
      const value = this.slot(view, i * each, of)
      if (!this.counting) out.push(value)
    }
    return this.counting ? undefined : out
  }

  record (ptr: number, type: Extract<PlanType, { kind: 'record' }>): Record<string, unknown> | undefined {
    this.m.check(ptr, type.size)
    this.bytes += 1 + type.keyBytes + type.fields.length
    const body = new DataView(this.m.bytes.buffer, ptr, type.size)
    const values: unknown[] = []
    let at = 0
    for (const field of type.fields) {
      values.push(this.slot(body, at, field))
      at += slotBytes(field)
    }
    if (this.counting) return undefined
    const out: Record<string, unknown> = {}
    for (const i of type.keyOrder) out[type.names[i] as string] = values[i]
    return out
  }
}

/**
 * Calls `fn` on the instance, as its IT adapter would: lowers `args` (which must `fit`), calls the
 * core export, lifts the record at the result pointer and releases the module's result objects.
 * Throws what the Wasm threw (a trap, a stack overflow), or DirectAbiError for what Marine would
 * refuse; either leaves the instance in an unknown state.
 */
export function callDirect (x: ContractExports, fn: PlanFunction, args: unknown[], maxBytes: number): DirectAnswer {
  const m = new Memory(x)
  const params: number[] = []
  fn.args.forEach((type, i) => { lowerArgument(m, args[i], type, params) })
  const core = x[fn.core] as (...p: number[]) => unknown
  core(...params)
  const lifter = new Lifter(m, maxBytes)
  const value = lifter.record(x.get_result_ptr() >>> 0, fn.output as Extract<PlanType, { kind: 'record' }>)
  x.release_objects()
  return { value: lifter.bytes > maxBytes ? undefined : value, bytes: lifter.bytes }
}

/** Whether a call's arguments fit the plan's function (positional, each as marine-js would take it). */
export function argumentsFit (fn: PlanFunction, args: unknown): args is unknown[] {
  return Array.isArray(args) && args.length === fn.args.length && fn.args.every((type, i) => fits(args[i], type))
}
