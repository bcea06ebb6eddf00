// Encoder and decoder for the `interface-types` custom section.
import { ByteReader, ByteWriter } from './bytes.js'
import { InterfaceTypeError } from './errors.js'
import {
  ARRAY_TYPE_CODE, ENTRY_CODES, OP_ARG_GET, OP_ARRAY_LIFT, OP_ARRAY_LOWER, OP_CALL_CORE, OP_PUSH_I32,
  OP_PUSH_I64, OP_RECORD_LIFT, OP_RECORD_LOWER, RECORD_TYPE_CODE, SCALAR_CODES, SIMPLE_OPCODES,
  TYPE_KIND_FUNCTION, TYPE_KIND_RECORD,
} from './it-codes.js'
import type {
  ITEntry, ITInstruction, ITInterfaces, ITSection, ITType, ITTypeEntry, ScalarTypeName, SimpleInstructionName,
} from './it-types.js'

/** Marine reads argument, field, output and instruction counts as one byte: keep them below 128. */
export const MAX_LIST_ITEMS = 127
/** Names carry a single length byte. */
export const MAX_NAME_BYTES = 255

const scalarByCode = new Map<number, ScalarTypeName>(
  Object.entries(SCALAR_CODES).map(([name, code]) => [code, name as ScalarTypeName]),
)
const simpleByCode = new Map<number, SimpleInstructionName>(
  Object.entries(SIMPLE_OPCODES).map(([name, code]) => [code, name as SimpleInstructionName]),
)

function writeList<T>(out: ByteWriter, items: readonly T[], what: string, write: (item: T) => void): void {
  if (items.length > MAX_LIST_ITEMS) throw new InterfaceTypeError(`${what} has ${items.length} items; Marine reads at most ${MAX_LIST_ITEMS}`)
  out.uleb(items.length)
  for (const item of items) write(item)
}

function writeTopList<T>(out: ByteWriter, items: readonly T[], write: (item: T) => void): void {
  out.uleb(items.length)
  for (const item of items) write(item)
}

function writeType(out: ByteWriter, type: ITType): void {
  if (type.kind === 'record') {
    out.byte(RECORD_TYPE_CODE).uleb(type.id)
  } else if (type.kind === 'array') {
    out.byte(ARRAY_TYPE_CODE)
    writeType(out, type.of)
  } else {
    out.byte(SCALAR_CODES[type.kind])
  }
}

function writeTypeEntry(out: ByteWriter, entry: ITTypeEntry): void {
  if (entry.kind === 'function') {
    out.byte(TYPE_KIND_FUNCTION)
    writeList(out, entry.args, 'argument list', (arg) => {
      out.shortString(arg.name)
      writeType(out, arg.type)
    })
    writeList(out, entry.outputs, 'output list', (type) => writeType(out, type))
  } else {
    out.byte(TYPE_KIND_RECORD).shortString(entry.name)
    writeList(out, entry.fields, `record ${entry.name}`, (field) => {
      out.shortString(field.name)
      writeType(out, field.type)
    })
  }
}

function writeInstruction(out: ByteWriter, ins: ITInstruction): void {
  switch (ins.op) {
    case 'arg.get': out.byte(OP_ARG_GET).uleb(ins.index); return
    case 'call-core': out.byte(OP_CALL_CORE).uleb(ins.index); return
    case 'push.i32': out.byte(OP_PUSH_I32).uleb(ins.value); return
    case 'push.i64': out.byte(OP_PUSH_I64).uleb(ins.value); return
    case 'array.lift_memory': out.byte(OP_ARRAY_LIFT); writeType(out, ins.type); return
    case 'array.lower_memory': out.byte(OP_ARRAY_LOWER); writeType(out, ins.type); return
    case 'record.lift_memory': out.byte(OP_RECORD_LIFT).uleb(ins.id); return
    case 'record.lower_memory': out.byte(OP_RECORD_LOWER).uleb(ins.id); return
    default: out.byte(SIMPLE_OPCODES[ins.op])
  }
}

function writeEntry(out: ByteWriter, entry: ITEntry): void {
  out.byte(ENTRY_CODES[entry.kind])
  switch (entry.kind) {
    case 'version': out.shortString(entry.version); return
    case 'types': writeTopList(out, entry.items, (t) => writeTypeEntry(out, t)); return
    case 'imports':
      writeTopList(out, entry.items, (i) => { out.shortString(i.namespace).shortString(i.name).uleb(i.type) })
      return
    case 'adapters':
      writeTopList(out, entry.items, (a) => {
        out.uleb(a.type)
        writeList(out, a.instructions, `adapter for type ${a.type}`, (ins) => writeInstruction(out, ins))
      })
      return
    case 'exports': writeTopList(out, entry.items, (e) => { out.shortString(e.name).uleb(e.type) }); return
    case 'implementations':
      writeTopList(out, entry.items, (i) => { out.uleb(i.coreType).uleb(i.adapterType) })
  }
}

export function encodeInterfaceTypes(section: ITSection): Uint8Array {
  const out = new ByteWriter()
  for (const entry of section.entries) writeEntry(out, entry)
  return out.finish()
}

function readType(input: ByteReader): ITType {
  const code = input.byte()
  if (code === RECORD_TYPE_CODE) return { kind: 'record', id: input.uleb() }
  if (code === ARRAY_TYPE_CODE) return { kind: 'array', of: readType(input) }
  const scalar = scalarByCode.get(code)
  if (scalar === undefined) throw new InterfaceTypeError(`unknown type code 0x${code.toString(16)} at byte ${input.offset - 1}`)
  return { kind: scalar }
}

function readList<T>(input: ByteReader, read: () => T): T[] {
  const count = input.uleb()
  const items: T[] = []
  for (let i = 0; i < count; i++) items.push(read())
  return items
}

function readTypeEntry(input: ByteReader): ITTypeEntry {
  const kind = input.byte()
  if (kind === TYPE_KIND_FUNCTION) {
    const args = readList(input, () => ({ name: input.shortString(), type: readType(input) }))
    const outputs = readList(input, () => readType(input))
    return { kind: 'function', args, outputs }
  }
  if (kind === TYPE_KIND_RECORD) {
    const name = input.shortString()
    const fields = readList(input, () => ({ name: input.shortString(), type: readType(input) }))
    return { kind: 'record', name, fields }
  }
  throw new InterfaceTypeError(`unknown type kind 0x${kind.toString(16)} at byte ${input.offset - 1}`)
}

function readInstruction(input: ByteReader): ITInstruction {
  const code = input.byte()
  switch (code) {
    case OP_ARG_GET: return { op: 'arg.get', index: input.uleb() }
    case OP_CALL_CORE: return { op: 'call-core', index: input.uleb() }
    case OP_PUSH_I32: return { op: 'push.i32', value: input.uleb() }
    case OP_PUSH_I64: return { op: 'push.i64', value: input.uleb() }
    case OP_ARRAY_LIFT: return { op: 'array.lift_memory', type: readType(input) }
    case OP_ARRAY_LOWER: return { op: 'array.lower_memory', type: readType(input) }
    case OP_RECORD_LIFT: return { op: 'record.lift_memory', id: input.uleb() }
    case OP_RECORD_LOWER: return { op: 'record.lower_memory', id: input.uleb() }
  }
  const simple = simpleByCode.get(code)
  if (simple === undefined) throw new InterfaceTypeError(`unknown instruction 0x${code.toString(16)} at byte ${input.offset - 1}`)
  return { op: simple }
}

function readEntry(input: ByteReader): ITEntry {
  const code = input.byte()
  switch (code) {
    case ENTRY_CODES.version: return { kind: 'version', version: input.shortString() }
    case ENTRY_CODES.types: return { kind: 'types', items: readList(input, () => readTypeEntry(input)) }
    case ENTRY_CODES.imports:
      return {
        kind: 'imports',
        items: readList(input, () => ({ namespace: input.shortString(), name: input.shortString(), type: input.uleb() })),
      }
    case ENTRY_CODES.adapters:
      return {
        kind: 'adapters',
        items: readList(input, () => ({ type: input.uleb(), instructions: readList(input, () => readInstruction(input)) })),
      }
    case ENTRY_CODES.exports:
      return { kind: 'exports', items: readList(input, () => ({ name: input.shortString(), type: input.uleb() })) }
    case ENTRY_CODES.implementations:
      return {
        kind: 'implementations',
        items: readList(input, () => ({ coreType: input.uleb(), adapterType: input.uleb() })),
      }
  }
  throw new InterfaceTypeError(`unknown interface entry kind 0x${code.toString(16)} at byte ${input.offset - 1}`)
}

export function decodeInterfaceTypes(data: Uint8Array): ITSection {
  const input = new ByteReader(data)
  const entries: ITEntry[] = []
  while (!input.done) entries.push(readEntry(input))
  return { entries }
}

/** Merges the section's entries into index order, as Marine does when it loads a module. */
export function flattenInterfaceTypes(section: ITSection): ITInterfaces {
  const out: ITInterfaces = { version: '', types: [], imports: [], adapters: [], exports: [], implementations: [] }
  let versions = 0
  for (const entry of section.entries) {
    if (entry.kind === 'version') {
      out.version = entry.version
      versions += 1
    } else {
      out[entry.kind].push(...(entry.items as never[]))
    }
  }
  if (versions !== 1) throw new InterfaceTypeError(`expected exactly one IT version entry, found ${versions}`)
  return out
}

/** Writes interfaces the way upstream does: version first, then each non-empty group once. */
export function sectionFromInterfaces(interfaces: ITInterfaces): ITSection {
  const entries: ITEntry[] = [{ kind: 'version', version: interfaces.version }]
  if (interfaces.types.length > 0) entries.push({ kind: 'types', items: interfaces.types })
  if (interfaces.imports.length > 0) entries.push({ kind: 'imports', items: interfaces.imports })
  if (interfaces.adapters.length > 0) entries.push({ kind: 'adapters', items: interfaces.adapters })
  if (interfaces.exports.length > 0) entries.push({ kind: 'exports', items: interfaces.exports })
  if (interfaces.implementations.length > 0) entries.push({ kind: 'implementations', items: interfaces.implementations })
  return { entries }
}
