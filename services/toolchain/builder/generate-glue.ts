// Generates the AssemblyScript entry that wraps a service's functions in the Marine ABI:
// arguments are lifted from the buffers Marine wrote, results lowered into memory Marine reads.
import { isPair, isScalar } from './service-interface.js'
import type { ServiceInterface, ValueType } from './service-interface.js'

/** File name of the generated entry, placed next to the service's index.ts. */
export const GLUE_FILE = '__marine_entry.ts'

const AS_SCALARS: Readonly<Record<string, string>> = {
  bool: 'bool', s8: 'i8', s16: 'i16', s32: 'i32', s64: 'i64', u8: 'u8', u16: 'u16', u32: 'u32', u64: 'u64', f32: 'f32', f64: 'f64',
}
/** Wasm-level type of a scalar argument or result. */
const CORE_SCALARS: Readonly<Record<string, string>> = {
  bool: 'i32', s8: 'i32', s16: 'i32', s32: 'i32', s64: 'i64', u8: 'i32', u16: 'i32', u32: 'i32', u64: 'i64', f32: 'f32', f64: 'f64',
}

/** Serialized size of a value inside a record or array body (no padding). */
export function storedSize(type: ValueType): number {
  switch (type.kind) {
    case 'bool': case 's8': case 'u8': return 1
    case 's16': case 'u16': return 2
    case 's32': case 'u32': case 'f32': case 'record': return 4
    default: return 8
  }
}

function asType(type: ValueType): string {
  switch (type.kind) {
    case 'string': return 'string'
    case 'byte_array': return 'Uint8Array'
    case 'array': return `Array<${asType(type.of)}>`
    case 'record': return `__R_${type.name}`
    default: return AS_SCALARS[type.kind] ?? 'never'
  }
}

function key(type: ValueType): string {
  switch (type.kind) {
    case 'array': return `arr_${key(type.of)}`
    case 'record': return `rec_${type.name}`
    default: return type.kind
  }
}

class GlueWriter {
  private helpers = new Map<string, string>()

  /** Name of a function `(ptr, len) => T` for pair types or `(ptr) => T` for records. */
  lifter(type: ValueType): string {
    if (type.kind === 'string') return '__rt_liftString'
    if (type.kind === 'byte_array') return '__rt_liftBytes'
    const name = `__lift_${key(type)}`
    if (!this.helpers.has(name) && type.kind === 'array') {
      this.helpers.set(name, '')
      const size = storedSize(type.of)
      this.helpers.set(name, [
        `function ${name}(ptr: usize, len: usize): ${asType(type)} {`,
        `  const out = new ${asType(type)}();`,
        `  for (let i: usize = 0; i < len; i++) out.push(${this.load(type.of, `ptr + i * ${size}`)});`,
        '  __rt_freeArg(ptr);',
        '  return out;',
        '}',
      ].join('\n'))
    }
    return name
  }

  /** Name of a function `(value, dst) => void` for pair types or `(value) => usize` for records. */
  lowerer(type: ValueType): string {
    if (type.kind === 'string') return '__rt_lowerString'
    if (type.kind === 'byte_array') return '__rt_lowerBytes'
    const name = `__lower_${key(type)}`
    if (!this.helpers.has(name) && type.kind === 'array') {
      this.helpers.set(name, '')
      const size = storedSize(type.of)
      this.helpers.set(name, [
        `function ${name}(value: ${asType(type)}, dst: usize): void {`,
        '  const n = changetype<usize>(value) == 0 ? 0 : value.length;',
        `  const body = __rt_allocOwned(<usize>n * ${size});`,
        `  for (let i = 0; i < n; i++) ${this.store(type.of, `body + <usize>i * ${size}`, 'unchecked(value[i])')};`,
        '  store<u32>(dst, <u32>body);',
        '  store<u32>(dst, <u32>n, 4);',
        '}',
      ].join('\n'))
    }
    return name
  }

  /** Expression reading a value of `type` stored at `addr`. */
  load(type: ValueType, addr: string): string {
    if (type.kind === 'bool') return `load<u8>(${addr}) != 0`
    if (isScalar(type)) return `load<${asType(type)}>(${addr})`
    if (type.kind === 'record') return `${this.lifter(type)}(<usize>load<u32>(${addr}))`
    return `${this.lifter(type)}(<usize>load<u32>(${addr}), <usize>load<u32>(${addr}, 4))`
  }

  /** Statement writing `value` of `type` at `addr`. */
  store(type: ValueType, addr: string, value: string): string {
    if (type.kind === 'bool') return `store<u8>(${addr}, ${value} ? 1 : 0)`
    if (isScalar(type)) return `store<${asType(type)}>(${addr}, ${value})`
    if (type.kind === 'record') return `store<u32>(${addr}, <u32>${this.lowerer(type)}(${value}))`
    return `${this.lowerer(type)}(${value}, ${addr})`
  }

  addRecord(name: string, fields: ReadonlyArray<{ name: string; type: ValueType }>): void {
    const cls = `__R_${name}`
    let offset = 0
    const loads: string[] = []
    const stores: string[] = []
    for (const field of fields) {
      loads.push(`  out.${field.name} = ${this.load(field.type, `ptr + ${offset}`)};`)
      stores.push(`  ${this.store(field.type, `body + ${offset}`, `value.${field.name}`)};`)
      offset += storedSize(field.type)
    }
    // Records are built without their constructor, so any constructor signature works.
    this.helpers.set(`__lift_rec_${name}`, [
      `function __lift_rec_${name}(ptr: usize): ${cls} {`,
      `  const out = changetype<${cls}>(__new(offsetof<${cls}>(), idof<${cls}>()));`,
      ...loads,
      '  __rt_freeArg(ptr);',
      '  return out;',
      '}',
    ].join('\n'))
    this.helpers.set(`__lower_rec_${name}`, [
      `function __lower_rec_${name}(value: ${cls}): usize {`,
      `  const body = __rt_allocOwned(${offset});`,
      ...stores,
      '  return body;',
      '}',
    ].join('\n'))
  }

  helperSource(): string {
    return [...this.helpers.values()].join('\n\n')
  }
}

const RUNTIME_HELPERS = [
  'freeArg', 'allocOwned', 'liftString', 'liftBytes', 'lowerString', 'lowerBytes', 'resultPair', 'returnPair', 'returnRecord',
]

export function generateGlue(service: ServiceInterface): string {
  const writer = new GlueWriter()
  for (const record of service.records) writer.addRecord(record.name, record.fields)

  const wrappers: string[] = []
  for (const fn of service.functions) {
    const params: string[] = []
    const args: string[] = []
    for (const arg of fn.args) {
      const p = `a_${arg.name}`
      if (isScalar(arg.type)) {
        params.push(`${p}: ${CORE_SCALARS[arg.type.kind] ?? 'i32'}`)
        args.push(arg.type.kind === 'bool' ? `${p} != 0` : `<${asType(arg.type)}>${p}`)
      } else if (isPair(arg.type)) {
        params.push(`${p}_ptr: usize`, `${p}_len: usize`)
        args.push(`${writer.lifter(arg.type)}(${p}_ptr, ${p}_len)`)
      } else {
        params.push(`${p}: usize`)
        args.push(`${writer.lifter(arg.type)}(${p})`)
      }
    }
    const call = `__fn_${fn.name}(${args.join(', ')})`
    const out = fn.output
    let resultType = 'void'
    let body: string[]
    if (out === null) {
      body = [`  ${call};`]
    } else if (isScalar(out)) {
      resultType = CORE_SCALARS[out.kind] ?? 'i32'
      body = out.kind === 'bool' ? [`  return ${call} ? 1 : 0;`] : [`  return <${resultType}>${call};`]
    } else if (isPair(out)) {
      body = [`  ${writer.lowerer(out)}(${call}, __rt_resultPair());`, '  __rt_returnPair();']
    } else {
      body = [`  __rt_returnRecord(${writer.lowerer(out)}(${call}));`]
    }
    wrappers.push([`export function ${fn.name}(${params.join(', ')}): ${resultType} {`, ...body, '}'].join('\n'))
  }

  const recordImports = new Map<string, string[]>()
  for (const record of service.records) {
    const list = recordImports.get(record.module) ?? []
    list.push(`${record.name} as __R_${record.name}`)
    recordImports.set(record.module, list)
  }
  return [
    '// Generated by services/toolchain from the exported functions of ./index.ts. Do not edit.',
    `import { ${RUNTIME_HELPERS.map((h) => `${h} as __rt_${h}`).join(', ')} } from '@lineage/marine';`,
    "export { allocate, release_objects, get_result_size, get_result_ptr, set_result_size, set_result_ptr } from '@lineage/marine';",
    `import { ${service.functions.map((f) => `${f.name} as __fn_${f.name}`).join(', ')} } from './index';`,
    ...[...recordImports].map(([module, names]) => `import { ${names.join(', ')} } from '${module}';`),
    '',
    writer.helperSource(),
    '',
    wrappers.join('\n\n'),
    '',
  ].join('\n')
}
