import { isDeepStrictEqual } from 'node:util'
import { readServiceInterface } from '../../services/toolchain/index.js'
import type { ITInstruction, ITInterfaces, ITType } from '../../services/toolchain/index.js'
import { DIRECT_CALL_FUNCTIONS, DIRECT_PLAN_MAX_NODES } from './constants.js'
import type { DirectPlan, PlanFunction, PlanType } from './direct-call.js'

/** The ABI exports, at the IT export indices Marine's adapters call them by. */
const ABI_EXPORTS = ['allocate', 'release_objects', 'get_result_size', 'get_result_ptr', 'set_result_size', 'set_result_ptr']
const ALLOCATE = 0
const RELEASE_OBJECTS = 1
const GET_RESULT_PTR = 3
const INTS: Readonly<Record<string, { bytes: 1 | 2 | 4 | 8, signed: boolean, tag: number }>> = {
  u8: { bytes: 1, signed: false, tag: 1 },
  u16: { bytes: 2, signed: false, tag: 2 },
  u32: { bytes: 4, signed: false, tag: 3 },
  u64: { bytes: 8, signed: false, tag: 4 },
  s8: { bytes: 1, signed: true, tag: 5 },
  s16: { bytes: 2, signed: true, tag: 6 },
  s32: { bytes: 4, signed: true, tag: 7 },
  i32: { bytes: 4, signed: true, tag: 7 },
  s64: { bytes: 8, signed: true, tag: 8 },
  i64: { bytes: 8, signed: true, tag: 8 },
}
const encoder = new TextEncoder()

/** Why a module's interface is not one the direct path lowers; its calls go through marine-js. */
class Unfit extends Error {}

/**
 * What the sandbox worker may call on a contract straight through WebAssembly (direct-call.ts),
 * read from its IT section: each of DIRECT_CALL_FUNCTIONS whose adapter is exactly the one Marine's
 * SDK writes for its types (strings, records and arrays in, a record out; no floats, byte arrays
 * or casts), with the ABI exports where the adapters call them. A function that is not so is left
 * out, and marine-js runs it; undefined when no function is in.
 */
export function directPlan (wasm: Uint8Array): DirectPlan | undefined {
  let interfaces: ITInterfaces
  try {
    interfaces = readServiceInterface(wasm).interfaces
  } catch {
    return undefined
  }
  if (ABI_EXPORTS.some((name, i) => interfaces.exports[i]?.name !== name)) return undefined
  const plan: DirectPlan = {}
  for (const name of DIRECT_CALL_FUNCTIONS) {
    try {
      plan[name] = planFunction(interfaces, name)
    } catch (err) {
      if (!(err instanceof Unfit)) throw err
    }
  }
  return Object.keys(plan).length === 0 ? undefined : plan
}

function planFunction (it: ITInterfaces, name: string): PlanFunction {
  // Marine finds a function as its IT export, that export's core type, the implementation of that
  // core type, and the adapter of the implementation's adapter type: follow the same links.
  const exportIndex = it.exports.findIndex(e => e.name === name)
  const exported = it.exports[exportIndex]
  if (exported === undefined || it.exports.filter(e => e.name === name).length !== 1) throw new Unfit()
  const implementation = it.implementations.find(i => i.coreType === exported.type)
  const adapterType = implementation === undefined ? undefined : it.types[implementation.adapterType]
  const adapter = it.adapters.find(a => a.type === implementation?.adapterType)
  if (adapterType?.kind !== 'function' || adapter === undefined || adapterType.outputs.length !== 1) throw new Unfit()
  let nodes = 0
  const plan = (type: ITType, depth: Set<number>): PlanType => {
    if (++nodes > DIRECT_PLAN_MAX_NODES) throw new Unfit()
    if (type.kind === 'string' || type.kind === 'bool') return { kind: type.kind }
    if (type.kind === 'array') return { kind: 'array', of: plan(type.of, depth) }
    if (type.kind === 'record') {
      const record = it.types[type.id]
      if (record?.kind !== 'record' || depth.has(type.id) || record.fields.length === 0) throw new Unfit()
      const names = record.fields.map(f => f.name)
      // marine-js answers a record as a JSON object; two fields of one name, or one JSON.parse would
      // not keep as a plain key, are left to it.
      if (new Set(names).size !== names.length || names.includes('__proto__')) throw new Unfit()
      const fields = record.fields.map(f => plan(f.type, new Set([...depth, type.id])))
      const size = fields.reduce((sum, f) => sum + (f.kind === 'string' || f.kind === 'array' ? 8 : f.kind === 'record' ? 4 : f.kind === 'bool' ? 1 : f.bytes), 0)
      const keyOrder = names.map((_, i) => i).sort((a, b) => Buffer.compare(Buffer.from(names[a] as string), Buffer.from(names[b] as string)))
      const keyBytes = names.reduce((sum, n) => sum + JSON.stringify(n).length + encoder.encode(n).length - n.length + 1, 0)
      return { kind: 'record', fields, names, size, keyOrder, keyBytes }
    }
    const int = INTS[type.kind]
    if (int === undefined) throw new Unfit()
    return { kind: 'int', ...int }
  }
  const args = adapterType.args.map(a => plan(a.type, new Set()))
  const output = plan(adapterType.outputs[0] as ITType, new Set())
  if (output.kind !== 'record' || args.some(a => a.kind !== 'string' && a.kind !== 'record' && a.kind !== 'array')) throw new Unfit()
  if (!isDeepStrictEqual(adapter.instructions, canonicalAdapter(adapterType.args.map(a => a.type), adapterType.outputs[0] as ITType, exportIndex))) throw new Unfit()
  return { core: name, args, output }
}

/** The adapter Marine's SDK (and our toolchain) writes for a function of these types: what direct-call.ts does. */
function canonicalAdapter (args: ITType[], output: ITType, exportIndex: number): ITInstruction[] {
  const out: ITInstruction[] = []
  args.forEach((type, index) => {
    const get: ITInstruction = { op: 'arg.get', index }
    if (type.kind === 'string') out.push(get, { op: 'string.size' }, { op: 'push.i32', value: 1 }, { op: 'call-core', index: ALLOCATE }, get, { op: 'string.lower_memory' })
    else if (type.kind === 'array') out.push(get, { op: 'array.lower_memory', type: type.of })
    else if (type.kind === 'record') out.push(get, { op: 'record.lower_memory', id: type.id })
  })
  out.push({ op: 'call-core', index: exportIndex })
  if (output.kind === 'record') out.push({ op: 'call-core', index: GET_RESULT_PTR }, { op: 'record.lift_memory', id: output.id }, { op: 'call-core', index: RELEASE_OBJECTS })
  return out
}
