// The interface of a service as written in its AssemblyScript source: the single source of truth
// from which both the glue code and the IT section are generated.

export type ScalarKind = 'bool' | 's8' | 's16' | 's32' | 's64' | 'u8' | 'u16' | 'u32' | 'u64' | 'f32' | 'f64'

export type ValueType =
  | { kind: ScalarKind }
  | { kind: 'string' }
  | { kind: 'byte_array' }
  | { kind: 'array'; of: ValueType }
  | { kind: 'record'; name: string }

export interface NamedValue {
  name: string
  type: ValueType
}

export interface ServiceFunction {
  name: string
  args: NamedValue[]
  /** null for `void`. */
  output: ValueType | null
}

export interface ServiceRecord {
  name: string
  fields: NamedValue[]
  /** Import specifier, relative to the service's `assembly/` folder, of the module declaring the class. */
  module: string
}

export interface ServiceInterface {
  functions: ServiceFunction[]
  /** Every record reachable from the functions, dependencies first. */
  records: ServiceRecord[]
}

const SCALARS: ReadonlySet<string> = new Set(['bool', 's8', 's16', 's32', 's64', 'u8', 'u16', 'u32', 'u64', 'f32', 'f64'])

export function isScalar(type: ValueType): type is { kind: ScalarKind } {
  return SCALARS.has(type.kind)
}

/** Types passed as a (pointer, length) pair. */
export function isPair(type: ValueType): boolean {
  return type.kind === 'string' || type.kind === 'byte_array' || type.kind === 'array'
}

/** The type as a Marine / Aqua signature would show it, for messages and docs. */
export function describeType(type: ValueType): string {
  switch (type.kind) {
    case 'array': return `[]${describeType(type.of)}`
    case 'record': return type.name
    case 'byte_array': return '[]u8'
    default: return type.kind
  }
}
