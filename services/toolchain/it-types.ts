// The interface-types (IT) model Marine reads from a module's `interface-types` section.

export type ScalarTypeName =
  | 's8' | 's16' | 's32' | 's64' | 'u8' | 'u16' | 'u32' | 'u64'
  | 'f32' | 'f64' | 'string' | 'bool' | 'i32' | 'i64' | 'byte_array'

export type ITType =
  | { kind: ScalarTypeName }
  | { kind: 'record'; id: number }
  | { kind: 'array'; of: ITType }

export interface ITFunctionArg {
  name: string
  type: ITType
}

export interface ITFunctionType {
  kind: 'function'
  args: ITFunctionArg[]
  outputs: ITType[]
}

export interface ITRecordField {
  name: string
  type: ITType
}

export interface ITRecordType {
  kind: 'record'
  name: string
  fields: ITRecordField[]
}

export type ITTypeEntry = ITFunctionType | ITRecordType

export type ITInstruction =
  | { op: 'arg.get'; index: number }
  | { op: 'call-core'; index: number }
  | { op: 'push.i32'; value: number }
  | { op: 'push.i64'; value: number }
  | { op: 'array.lift_memory' | 'array.lower_memory'; type: ITType }
  | { op: 'record.lift_memory' | 'record.lower_memory'; id: number }
  | { op: SimpleInstructionName }

export type SimpleInstructionName =
  | 's8.from_i32' | 's8.from_i64' | 's16.from_i32' | 's16.from_i64' | 's32.from_i32' | 's32.from_i64'
  | 's64.from_i32' | 's64.from_i64' | 'i32.from_s8' | 'i32.from_s16' | 'i32.from_s32' | 'i32.from_s64'
  | 'i64.from_s8' | 'i64.from_s16' | 'i64.from_s32' | 'i64.from_s64' | 'u8.from_i32' | 'u8.from_i64'
  | 'u16.from_i32' | 'u16.from_i64' | 'u32.from_i32' | 'u32.from_i64' | 'u64.from_i32' | 'u64.from_i64'
  | 'i32.from_u8' | 'i32.from_u16' | 'i32.from_u32' | 'i32.from_u64' | 'i64.from_u8' | 'i64.from_u16'
  | 'i64.from_u32' | 'i64.from_u64'
  | 'string.lift_memory' | 'string.lower_memory' | 'string.size'
  | 'byte_array.lift_memory' | 'byte_array.lower_memory' | 'byte_array.size'
  | 'bool.from_i32' | 'i32.from_bool' | 'dup' | 'swap2'

export interface ITImport {
  namespace: string
  name: string
  type: number
}

export interface ITAdapter {
  type: number
  instructions: ITInstruction[]
}

export interface ITExport {
  name: string
  type: number
}

export interface ITImplementation {
  coreType: number
  adapterType: number
}

/** One decoded section. Entries keep their on-disk grouping so re-encoding is byte-exact. */
export type ITEntry =
  | { kind: 'version'; version: string }
  | { kind: 'types'; items: ITTypeEntry[] }
  | { kind: 'imports'; items: ITImport[] }
  | { kind: 'adapters'; items: ITAdapter[] }
  | { kind: 'exports'; items: ITExport[] }
  | { kind: 'implementations'; items: ITImplementation[] }

export interface ITSection {
  entries: ITEntry[]
}

/** The flattened view a caller usually wants: all types, exports etc. in index order. */
export interface ITInterfaces {
  version: string
  types: ITTypeEntry[]
  imports: ITImport[]
  adapters: ITAdapter[]
  exports: ITExport[]
  implementations: ITImplementation[]
}
