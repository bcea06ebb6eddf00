// One worker of the contract sandbox's pool: hosts Marine services and answers one request at a
// time. Runs from dist/ (compiled) or from the TypeScript source (Node strips the types), so it
// keeps to erasable syntax and imports nothing relative.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { MarineService } from '@fluencelabs/marine-js/MarineService'
import { defaultCallParameters } from '@fluencelabs/marine-js/types'
import type { CallParameters, JSONArray, JSONObject } from '@fluencelabs/marine-js/types'
import type * as DirectCall from './direct-call.js'
import type { ContractExports, DirectPlan, PlanFunction } from './direct-call.js'

export type SandboxRequest =
  /** `plan`: what the contract's interface lets this worker call straight through WebAssembly (direct-plan.ts). */
  | { type: 'load', seq: number, id: string, wasm: Uint8Array, plan?: DirectPlan }
  | { type: 'unload', seq: number, id: string }
  /**
   * Calls of one contract, in order. Calls not started once `turnMs` has passed since the first
   * began are answered 'deferred': the pool runs them in the contract's next turn, so one
   * contract's batch never holds a worker for much longer than one call's budget.
   */
  | { type: 'calls', seq: number, id: string, turnMs: number, calls: Array<{ fn: string, args: JSONArray | JSONObject }> }

/**
 * How a call failed, as the sandbox names it: 'memory' (the contract trapped with its memory
 * mostly used: its allocator could not grow it), 'stack' (the engine's call stack overflowed),
 * 'result' (the answer was larger than the limit), 'trap' (anything else the contract or Marine
 * refused), 'deferred' (not run this turn).
 */
export type CallFailure = 'memory' | 'stack' | 'result' | 'trap' | 'deferred'

/** The answer to one call of a 'calls' request: a failure fails only its own call. */
export type CallReply = { ok: true, value: unknown, direct?: boolean } | { ok: false, failure: CallFailure, error: string, detail?: number }

export type SandboxReply =
  | { seq: number, ok: true, value: unknown }
  | { seq: number, ok: false, error: string }

export interface SandboxWorkerData {
  replies: MessagePort
  clock: SharedArrayBuffer
  /** A contract's memory cap in bytes: past half of it, a trap is read as running out of memory. */
  maxMemoryBytes: number
  /** Largest answer, as JSON text in UTF-8 bytes. */
  maxResultBytes: number
}

/**
 * Where the worker notes the call of a 'calls' request it is running, for the pool's timer: the
 * budget is per call, so it counts from that call's start. Shared memory rather than a message
 * per call. Its layout (request seq, then Date.now() when the call started, then the call's index)
 * is also read by worker-thread.ts, which cannot import values from this file.
 */
const CLOCK_SEQ = 0
const CLOCK_STARTED_AT = 1
const CLOCK_INDEX = 2

const port = parentPort
if (port === null) throw new Error('sandbox-worker.ts must run in a worker thread')
const data = workerData as SandboxWorkerData
// Answers go on the channel the pool gave us, which it can read synchronously when a budget runs out.
const answers: MessagePort = data.replies
const clock = new BigInt64Array(data.clock)

const require = createRequire(import.meta.url)
const controlWasm = fs.readFileSync(path.join(path.dirname(require.resolve('@fluencelabs/marine-js')), 'marine-js.wasm'))
const controlModule = new WebAssembly.Module(controlWasm)
// The direct path's lowering and lifting, beside this file (compiled, or the TypeScript source).
const direct = await import(new URL(import.meta.url.endsWith('.ts') ? './direct-call.ts' : './direct-call.js', import.meta.url).href) as typeof DirectCall

/** The raw entry point of a Marine service: arguments and answer as JSON text. */
interface ControlModule { call_module(module: string, fn: string, args: string, params: CallParameters): string }

/**
 * A loaded contract. `memory` is its instance's linear memory (seen as it was created), read after
 * a trap; `broken` after any failed call: a trap leaves the instance as it stopped (a full heap,
 * a shadow stack pointer mid-call), so the next call gets a fresh instance rather than that one.
 */
interface Hosted {
  service: MarineService
  wasm: Uint8Array
  memory: WebAssembly.Memory | undefined
  broken: boolean
  plan: DirectPlan | undefined
  /** The instance's own exports, for the direct path: only for a module that imports nothing (nothing of marine-js's runs under a direct call). */
  exports: ContractExports | undefined
}
const services = new Map<string, Hosted>()

/**
 * The error that last crossed out of a contract's own export, and the memory of the instance being
 * made. marine-js reports every trap as one generic message; the engine's own error (a RangeError
 * for a stack overflow, a RuntimeError for a trap) is what tells them apart, so every instance
 * this worker creates (only contracts: marine-js makes its own with WebAssembly.instantiate) has
 * its exported functions wrapped to note it on the way out.
 */
let lastThrown: unknown
let instanceMemory: WebAssembly.Memory | undefined
let instanceExports: ContractExports | undefined
const NativeInstance = WebAssembly.Instance
/** Called with `new` in place of WebAssembly.Instance: the real instance, its functions wrapped. */
function NotingInstance (module: WebAssembly.Module, imports?: WebAssembly.Imports): { exports: WebAssembly.Exports } {
  const real = new NativeInstance(module, imports).exports
  if (WebAssembly.Module.imports(module).length === 0 && real.memory instanceof WebAssembly.Memory) instanceExports = real as unknown as ContractExports
  const noted: WebAssembly.Exports = {}
  for (const [name, value] of Object.entries(real)) {
    if (value instanceof WebAssembly.Memory) instanceMemory = value
    noted[name] = typeof value !== 'function'
      ? value
      : function (this: unknown, ...args: unknown[]): unknown {
        try {
          return (value as (...a: unknown[]) => unknown).apply(this, args)
        } catch (err) {
          lastThrown = err
          throw err
        }
      }
  }
  return { exports: Object.freeze(noted) }
}
WebAssembly.Instance = NotingInstance as unknown as typeof WebAssembly.Instance

// Contracts may log through Marine's host logger; their words stay out of the node's stdout.
const logs: string[] = []
const keepLog = (message: { service: string, message: string }): void => {
  logs.push(`${message.service}: ${message.message}`)
  if (logs.length > 100) logs.shift()
}

async function host (id: string, wasm: Uint8Array, plan: DirectPlan | undefined): Promise<Hosted> {
  const service = new MarineService(controlModule, id, keepLog, {
    modules_config: [{
      import_name: id,
      config: { logger_enabled: true, logging_mask: 0, wasi: { envs: {}, preopened_files: new Set(), mapped_dirs: new Map() } },
    }],
  }, { [id]: wasm })
  instanceMemory = undefined
  instanceExports = undefined
  await service.init()
  const exports = instanceExports as ContractExports | undefined
  const usable = exports !== undefined && exports.memory === instanceMemory && ['allocate', 'release_objects', 'get_result_ptr', ...Object.values(plan ?? {}).map(f => f.core)].every(name => typeof exports[name] === 'function')
  const hosted = { service, wasm, memory: instanceMemory, broken: false, plan, exports: usable ? exports : undefined }
  services.set(id, hosted)
  return hosted
}

/** The contract's instance, made again first if its last call failed. */
async function fresh (id: string): Promise<Hosted | undefined> {
  const hosted = services.get(id)
  if (hosted === undefined || !hosted.broken) return hosted
  hosted.service.terminate()
  return await host(id, hosted.wasm, hosted.plan)
}

/** Runs one call; a failure is named, and marks the instance to be made again before the next. */
function callOne (hosted: Hosted | undefined, id: string, fn: string, args: JSONArray | JSONObject): CallReply {
  if (hosted === undefined) return { ok: false, failure: 'trap', error: `not loaded: ${id}` }
  const control = (hosted.service as unknown as { _controlModuleInstance: ControlModule | string })._controlModuleInstance
  if (typeof control === 'string') return { ok: false, failure: 'trap', error: `not running: ${id}` }
  const planned = hosted.exports === undefined ? undefined : hosted.plan?.[fn]
  if (planned !== undefined && direct.argumentsFit(planned, args)) return callDirectly(hosted, fn, planned, args)
  lastThrown = undefined
  let raw: string
  try {
    // The JSON text itself (what MarineService.call would parse), so an oversized answer is
    // measured and dropped before it is parsed into objects.
    raw = control.call_module(id, fn, JSON.stringify(args), { ...defaultCallParameters, service_id: id })
  } catch (err) {
    hosted.broken = true
    return named(hosted, err)
  }
  const bytes = Buffer.byteLength(raw)
  if (bytes > data.maxResultBytes) {
    hosted.broken = true
    return { ok: false, failure: 'result', error: `answer of ${bytes} bytes`, detail: bytes }
  }
  return { ok: true, value: JSON.parse(raw) as unknown }
}

/**
 * The same call on the same instance, straight through WebAssembly (direct-call.ts): the same
 * answer as marine-js's, without its conversion of every string and record to JSON and back.
 * Every budget holds as for marine-js: the pool's timer, the capped memory, the answer's size
 * (counted as marine-js's JSON text), and a failure marks the instance to be made again.
 */
function callDirectly (hosted: Hosted, name: string, fn: PlanFunction, args: unknown[]): CallReply {
  lastThrown = undefined
  let answer: { value: unknown, bytes: number }
  try {
    answer = direct.callDirect(hosted.exports as ContractExports, fn, args, data.maxResultBytes)
  } catch (err) {
    hosted.broken = true
    // What the Wasm threw tells a stack overflow or a full memory from a trap; a refusal of ours is a trap.
    if (err instanceof direct.DirectAbiError) return { ok: false, failure: 'trap', error: `its answer could not be read: ${err.message}` }
    lastThrown = err
    // Worded as marine-js words a trap in a call (engine-text.ts reads it), so the refusal reads the same.
    return named(hosted, new Error(`failed while calling the local or import function ${name} directly: ${err instanceof Error ? err.message : String(err)}`))
  }
  if (answer.bytes > data.maxResultBytes) {
    hosted.broken = true
    return { ok: false, failure: 'result', error: `answer of ${answer.bytes} bytes`, detail: answer.bytes }
  }
  return { ok: true, value: answer.value, direct: true }
}

function named (hosted: Hosted, err: unknown): CallReply {
  const error = err instanceof Error ? err.message : String(err)
  const thrown = lastThrown
  if (thrown instanceof RangeError) return { ok: false, failure: 'stack', error }
  const used = hosted.memory?.buffer.byteLength ?? 0
  // Allocators grow memory by doubling, or by what they need: a grow refused at the cap leaves the
  // memory more than half used (unless one request alone asked for more than half).
  if (thrown instanceof WebAssembly.RuntimeError && used * 2 > data.maxMemoryBytes) return { ok: false, failure: 'memory', error, detail: used }
  return { ok: false, failure: 'trap', error }
}

async function handle (request: SandboxRequest): Promise<unknown> {
  switch (request.type) {
    case 'load': {
      services.get(request.id)?.service.terminate()
      services.delete(request.id)
      await host(request.id, request.wasm, request.plan)
      return null
    }
    case 'unload': {
      services.get(request.id)?.service.terminate()
      services.delete(request.id)
      return null
    }
    case 'calls': {
      const replies: CallReply[] = []
      const turnStarted = Date.now()
      for (const [index, call] of request.calls.entries()) {
        if (index > 0 && Date.now() - turnStarted >= request.turnMs) {
          replies.push({ ok: false, failure: 'deferred', error: 'not run this turn' })
          continue
        }
        // Index and start time first: the pool trusts them only once the seq says they are this
        // request's. Making a fresh instance after a failure counts in the call's budget (it takes
        // milliseconds), so the timer never blames the call before it.
        Atomics.store(clock, CLOCK_INDEX, BigInt(index))
        Atomics.store(clock, CLOCK_STARTED_AT, BigInt(Date.now()))
        Atomics.store(clock, CLOCK_SEQ, BigInt(request.seq))
        replies.push(callOne(await fresh(request.id), request.id, call.fn, call.args))
      }
      return replies
    }
  }
}

port.on('message', (request: SandboxRequest) => {
  handle(request).then(
    value => { answers.postMessage({ seq: request.seq, ok: true, value } satisfies SandboxReply) },
    (err: unknown) => { answers.postMessage({ seq: request.seq, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies SandboxReply) },
  )
})
