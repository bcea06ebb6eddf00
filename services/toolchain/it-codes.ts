// Binary codes of the IT format (see docs/marine-abi.md).
import type { ScalarTypeName, SimpleInstructionName } from './it-types.js'

export const ENTRY_CODES = {
  types: 0x00,
  imports: 0x01,
  adapters: 0x02,
  exports: 0x03,
  implementations: 0x04,
  version: 0x05,
} as const

export const TYPE_KIND_FUNCTION = 0x00
export const TYPE_KIND_RECORD = 0x01

export const SCALAR_CODES: Record<ScalarTypeName, number> = {
  s8: 0x00, s16: 0x01, s32: 0x02, s64: 0x03, u8: 0x04, u16: 0x05, u32: 0x06, u64: 0x07,
  f32: 0x08, f64: 0x09, string: 0x0a, bool: 0x0b, i32: 0x0c, i64: 0x0d, byte_array: 0x3c,
}
export const RECORD_TYPE_CODE = 0x0e
export const ARRAY_TYPE_CODE = 0x36

export const SIMPLE_OPCODES: Record<SimpleInstructionName, number> = {
  's8.from_i32': 0x02, 's8.from_i64': 0x03, 's16.from_i32': 0x04, 's16.from_i64': 0x05,
  's32.from_i32': 0x06, 's32.from_i64': 0x07, 's64.from_i32': 0x08, 's64.from_i64': 0x09,
  'i32.from_s8': 0x0a, 'i32.from_s16': 0x0b, 'i32.from_s32': 0x0c, 'i32.from_s64': 0x0d,
  'i64.from_s8': 0x0e, 'i64.from_s16': 0x0f, 'i64.from_s32': 0x10, 'i64.from_s64': 0x11,
  'u8.from_i32': 0x12, 'u8.from_i64': 0x13, 'u16.from_i32': 0x14, 'u16.from_i64': 0x15,
  'u32.from_i32': 0x16, 'u32.from_i64': 0x17, 'u64.from_i32': 0x18, 'u64.from_i64': 0x19,
  'i32.from_u8': 0x1a, 'i32.from_u16': 0x1b, 'i32.from_u32': 0x1c, 'i32.from_u64': 0x1d,
  'i64.from_u8': 0x1e, 'i64.from_u16': 0x1f, 'i64.from_u32': 0x20, 'i64.from_u64': 0x21,
  'string.lift_memory': 0x22, 'string.lower_memory': 0x23, 'string.size': 0x24,
  'dup': 0x34, 'swap2': 0x35,
  'bool.from_i32': 0x3e, 'i32.from_bool': 0x3f,
  'byte_array.lift_memory': 0x43, 'byte_array.lower_memory': 0x44, 'byte_array.size': 0x45,
}

export const OP_ARG_GET = 0x00
export const OP_CALL_CORE = 0x01
export const OP_ARRAY_LIFT = 0x37
export const OP_ARRAY_LOWER = 0x38
export const OP_RECORD_LIFT = 0x3a
export const OP_RECORD_LOWER = 0x3b
export const OP_PUSH_I32 = 0x40
export const OP_PUSH_I64 = 0x41
