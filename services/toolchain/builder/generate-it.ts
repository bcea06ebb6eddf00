// Builds the IT section for a service interface, laid out as marine-rs-sdk modules are:
// the six ABI exports first, then records, then two identical types per function (adapter, core).
import { TooManyItemsError } from './errors.js'
import { MAX_LIST_ITEMS } from '../index.js'
import type { ITFunctionType, ITInstruction, ITInterfaces, ITType } from '../index.js'
import { isScalar } from './service-interface.js'
import type { ServiceFunction, ServiceInterface, ValueType } from './service-interface.js'

export const IT_VERSION = '0.27.0'
export const SDK_VERSION = '0.14.0'

/** Indices of the ABI exports; the interpreter hard-codes 0 as `allocate`. */
export const ABI = {
  allocate: 0,
  release_objects: 1,
  get_result_size: 2,
  get_result_ptr: 3,
  set_result_size: 4,
  set_result_ptr: 5,
} as const

const ABI_TYPES: ReadonlyArray<[name: keyof typeof ABI, type: ITFunctionType]> = [
  ['allocate', { kind: 'function', args: [{ name: 'size', type: { kind: 'i32' } }], outputs: [{ kind: 'i32' }] }],
  ['release_objects', { kind: 'function', args: [], outputs: [] }],
  ['get_result_size', { kind: 'function', args: [], outputs: [{ kind: 'i32' }] }],
  ['get_result_ptr', { kind: 'function', args: [], outputs: [{ kind: 'i32' }] }],
  ['set_result_size', { kind: 'function', args: [{ name: 'result_size', type: { kind: 'i32' } }], outputs: [] }],
  ['set_result_ptr', { kind: 'function', args: [{ name: 'result_ptr', type: { kind: 'i32' } }], outputs: [] }],
]

type RecordIds = ReadonlyMap<string, number>

function recordId(name: string, ids: RecordIds): number {
  const id = ids.get(name)
  if (id === undefined) throw new Error(`record ${name} was not collected`)
  return id
}

function itType(type: ValueType, ids: RecordIds): ITType {
  switch (type.kind) {
    case 'record': return { kind: 'record', id: recordId(type.name, ids) }
    case 'array': return { kind: 'array', of: itType(type.of, ids) }
    default: return { kind: type.kind }
  }
}

const ARG_CASTS: Readonly<Record<string, ITInstruction['op']>> = {
  bool: 'i32.from_bool', s8: 'i32.from_s8', s16: 'i32.from_s16', s32: 'i32.from_s32', s64: 'i64.from_s64',
  u8: 'i32.from_u8', u16: 'i32.from_u16', u32: 'i32.from_u32', u64: 'i64.from_u64',
}
const RESULT_CASTS: Readonly<Record<string, ITInstruction['op']>> = {
  bool: 'bool.from_i32', s8: 's8.from_i32', s16: 's16.from_i32', s32: 's32.from_i32', s64: 's64.from_i64',
  u8: 'u8.from_i32', u16: 'u16.from_i32', u32: 'u32.from_i32', u64: 'u64.from_i64',
}

function argInstructions(type: ValueType, index: number, ids: RecordIds): ITInstruction[] {
  const get: ITInstruction = { op: 'arg.get', index }
  switch (type.kind) {
    case 'string':
      return [get, { op: 'string.size' }, { op: 'push.i32', value: 1 }, { op: 'call-core', index: ABI.allocate }, get, { op: 'string.lower_memory' }]
    case 'byte_array': return [get, { op: 'array.lower_memory', type: { kind: 'u8' } }]
    case 'array': return [get, { op: 'array.lower_memory', type: itType(type.of, ids) }]
    case 'record': return [get, { op: 'record.lower_memory', id: recordId(type.name, ids) }]
    default: {
      const cast = ARG_CASTS[type.kind]
      return cast === undefined ? [get] : [get, { op: cast } as ITInstruction]
    }
  }
}

function resultInstructions(type: ValueType, ids: RecordIds): ITInstruction[] {
  const ptr: ITInstruction = { op: 'call-core', index: ABI.get_result_ptr }
  const size: ITInstruction = { op: 'call-core', index: ABI.get_result_size }
  switch (type.kind) {
    case 'string': return [ptr, size, { op: 'string.lift_memory' }]
    case 'byte_array': return [ptr, size, { op: 'byte_array.lift_memory' }]
    case 'array': return [ptr, size, { op: 'array.lift_memory', type: itType(type.of, ids) }]
    case 'record': return [ptr, { op: 'record.lift_memory', id: recordId(type.name, ids) }]
    default: {
      const cast = RESULT_CASTS[type.kind]
      return cast === undefined ? [] : [{ op: cast } as ITInstruction]
    }
  }
}

export function adapterInstructions(fn: ServiceFunction, exportIndex: number, ids: RecordIds): ITInstruction[] {
  const instructions = fn.args.flatMap((arg, i) => argInstructions(arg.type, i, ids))
  instructions.push({ op: 'call-core', index: exportIndex })
  if (fn.output !== null) {
    instructions.push(...resultInstructions(fn.output, ids))
    if (!isScalar(fn.output)) instructions.push({ op: 'call-core', index: ABI.release_objects })
  }
  if (instructions.length > MAX_LIST_ITEMS) {
    throw new TooManyItemsError(
      `function "${fn.name}" needs ${instructions.length} adapter instructions; Marine reads at most ${MAX_LIST_ITEMS} ` +
        '(a string argument takes 6, an integer, bool, array or record 2, a float 1: group arguments in a record)',
    )
  }
  return instructions
}

export function generateInterfaceTypes(service: ServiceInterface): ITInterfaces {
  const out: ITInterfaces = { version: IT_VERSION, types: [], imports: [], adapters: [], exports: [], implementations: [] }
  for (const [name, type] of ABI_TYPES) {
    out.exports.push({ name, type: out.types.length })
    out.types.push(type)
  }
  const ids = new Map<string, number>()
  service.records.forEach((record, i) => ids.set(record.name, ABI_TYPES.length + i))
  for (const record of service.records) {
    out.types.push({ kind: 'record', name: record.name, fields: record.fields.map((f) => ({ name: f.name, type: itType(f.type, ids) })) })
  }
  for (const fn of service.functions) {
    const signature = (): ITFunctionType => ({
      kind: 'function',
      args: fn.args.map((a) => ({ name: a.name, type: itType(a.type, ids) })),
      outputs: fn.output === null ? [] : [itType(fn.output, ids)],
    })
    const adapterType = out.types.length
    out.types.push(signature())
    const coreType = out.types.length
    out.types.push(signature())
    const exportIndex = out.exports.length
    out.exports.push({ name: fn.name, type: coreType })
    out.adapters.push({ type: adapterType, instructions: adapterInstructions(fn, exportIndex, ids) })
    out.implementations.push({ coreType, adapterType })
  }
  return out
}
