import type { Logger } from '@libp2p/logger'
import { CONTRACT_CALL_TIMEOUT_MS, CONTRACT_LOAD_TIMEOUT_MS, CONTRACT_MAX_MEMORY_PAGES, CONTRACT_MAX_RESULT_BYTES, SANDBOX_TURN_CALLS, SANDBOX_WORKERS, WASM_PAGE_BYTES } from './constants.js'
import { ContractModuleError, ContractNotLoadedError, ContractOutOfMemoryError, ContractResultTooLargeError, ContractStackOverflowError, ContractTimeoutError, ContractTrapError, SandboxStoppedError } from './errors.js'
import type { CallReply } from './sandbox-worker.js'
import { limitMemory } from './wasm-memory.js'
import type { DirectPlan } from './direct-call.js'
import { directPlan } from './direct-plan.js'
import { fitChainFacts, takesChainFacts } from './contract-shape.js'
import { WorkerRequestError, WorkerThread } from './worker-thread.js'

export interface ContractSandboxComponents {
  log: Logger
}

export interface ContractSandboxInit {
  callTimeoutMs?: number
  loadTimeoutMs?: number
  maxMemoryPages?: number
  maxResultBytes?: number
  /** Worker threads in the pool (SANDBOX_WORKERS). */
  workers?: number
  /**
   * Whether workers call on_execute and on_mint straight through WebAssembly when a contract's
   * interface allows (default true); false sends every call through marine-js, for comparison.
   */
  directCalls?: boolean
}

export type ContractArgs = unknown[] | Record<string, unknown>

/** One call of `callMany`. */
export interface ContractCall { id: string, fn: string, args: ContractArgs }

/** The answer to one call of `callMany`: what `call` would have resolved to, or thrown. */
export type ContractCallResult = { ok: true, value: unknown } | { ok: false, error: Error }

/** What the sandbox has been through, for the node's status and for tests. */
export interface SandboxStats {
  workers: number
  /** Worker threads ended under a call since start: a budget ran out, or a thread died. */
  workerRestarts: number
  /** Calls waiting for their contract's turn. */
  queuedCalls: number
  /** Calls answered straight through WebAssembly rather than through marine-js, since start. */
  directCalls: number
}

export interface ContractSandbox {
  /** Checks and caps the module, then instantiates it. Replaces a module with the same id. */
  load(id: string, wasm: Uint8Array): Promise<void>
  /**
   * Checks and caps a module that loaded before (a built-in, or a contract deployed earlier) and
   * keeps it without running it: a worker makes its instance before the contract's first call, so
   * a node that runs no contract starts no worker (each holds a V8 isolate and marine-js). Throws
   * ContractModuleError when the checks fail. Replaces a module with the same id.
   */
  register(id: string, wasm: Uint8Array): void
  unload(id: string): Promise<void>
  has(id: string): boolean
  /** Whether a loaded contract's Transaction record takes the chain facts (contract-shape.ts). */
  takesChainFacts?(id: string): boolean
  /**
   * Calls an exported service function within the time budget. Fails with ContractTimeoutError,
   * ContractOutOfMemoryError, ContractStackOverflowError, ContractResultTooLargeError or
   * ContractTrapError; the contract's next call runs in a fresh instance.
   */
  call(id: string, fn: string, args: ContractArgs): Promise<unknown>
  /**
   * Several calls; each result is what `call` would have given (a failure fails only its own
   * call). Calls of one contract run in order, in as few round trips to a worker as their turns
   * allow; calls of different contracts may run at once in different workers.
   */
  callMany(calls: readonly ContractCall[]): Promise<ContractCallResult[]>
  stats(): SandboxStats
  stop(): Promise<void>
}

interface CallJob { kind: 'call', id: string, fn: string, args: ContractArgs, done: (result: ContractCallResult) => void }
interface LoadJob { kind: 'load', id: string, module: CheckedModule, done: (err?: Error) => void }
/** A module as the sandbox keeps it: capped, with what the worker may call directly. */
interface CheckedModule { wasm: Uint8Array, plan: DirectPlan | undefined }
type Job = CallJob | LoadJob

/** A worker thread of the pool, and what it is doing. */
interface Slot {
  thread: WorkerThread
  busy: boolean
  /** Contracts unloaded since this thread last ran: dropped before its next turn. */
  unloads: Set<string>
}

/**
 * Runs untrusted meta contracts in a small pool of worker threads. Each contract has its own
 * queue; a contract runs in at most one worker at a time, and contracts with work take turns
 * (round robin), so one contract burning its budget holds one worker while the others serve
 * everyone else, and waits behind them for its next turn. A call past its budget (a loop) ends
 * its worker, which stops even a module that never yields; any other failure only makes the
 * contract's instance again before its next call, in the same worker.
 */
class WorkerContractSandbox implements ContractSandbox {
  private readonly slots: Slot[]
  /** Contract id → its checked module and generation (a reload makes a new one). */
  private readonly modules = new Map<string, CheckedModule & { generation: number }>()
  /** Contracts whose Transaction record takes the chain facts, read from their interface when loaded. */
  private readonly chainAware = new Set<string>()
  private readonly queues = new Map<string, Job[]>()
  /** Contracts with waiting work and none running, in turn order. */
  private readonly ready: string[] = []
  private readonly running = new Set<string>()
  private generation = 0
  private restarts = 0
  private directCalls = 0
  private stopped = false
  private readonly callTimeoutMs: number
  private readonly loadTimeoutMs: number
  private readonly maxMemoryPages: number
  private readonly maxResultBytes: number
  private readonly direct: boolean

  constructor (private readonly components: ContractSandboxComponents, init: ContractSandboxInit) {
    this.callTimeoutMs = init.callTimeoutMs ?? CONTRACT_CALL_TIMEOUT_MS
    this.loadTimeoutMs = init.loadTimeoutMs ?? CONTRACT_LOAD_TIMEOUT_MS
    this.maxMemoryPages = init.maxMemoryPages ?? CONTRACT_MAX_MEMORY_PAGES
    this.maxResultBytes = init.maxResultBytes ?? CONTRACT_MAX_RESULT_BYTES
    this.direct = init.directCalls ?? true
    const threadInit = { log: components.log, maxMemoryPages: this.maxMemoryPages, maxResultBytes: this.maxResultBytes, onRestart: () => { this.restarts++ } }
    this.slots = Array.from({ length: Math.max(1, init.workers ?? SANDBOX_WORKERS) }, () => ({ thread: new WorkerThread(threadInit), busy: false, unloads: new Set<string>() }))
  }

  has (id: string): boolean {
    return this.modules.has(id)
  }

  takesChainFacts (id: string): boolean {
    return this.chainAware.has(id)
  }

  async load (id: string, wasm: Uint8Array): Promise<void> {
    if (this.stopped) throw new SandboxStoppedError()
    const checked = this.checked(id, wasm)
    // Every worker starts with the first module, so no call waits for one to start later.
    for (const slot of this.slots) slot.thread.warm()
    await new Promise<void>((resolve, reject) => {
      this.enqueue({ kind: 'load', id, module: checked, done: err => { if (err === undefined) resolve(); else reject(err) } })
    })
  }

  register (id: string, wasm: Uint8Array): void {
    if (this.stopped) throw new SandboxStoppedError()
    this.modules.set(id, { ...this.checked(id, wasm), generation: ++this.generation })
  }

  private checked (id: string, wasm: Uint8Array): CheckedModule {
    if (takesChainFacts(wasm)) this.chainAware.add(id)
    else this.chainAware.delete(id)
    let capped: Uint8Array
    try {
      capped = limitMemory(wasm, this.maxMemoryPages).wasm
    } catch (err) {
      throw new ContractModuleError(id, (err as Error).message)
    }
    return { wasm: capped, plan: this.direct ? directPlan(capped) : undefined }
  }

  async unload (id: string): Promise<void> {
    this.modules.delete(id)
    this.chainAware.delete(id)
    for (const slot of this.slots) {
      if (!slot.thread.loaded.delete(id)) continue
      slot.unloads.add(id)
    }
    this.pump()
  }

  async call (id: string, fn: string, args: ContractArgs): Promise<unknown> {
    const [result] = await this.callMany([{ id, fn, args }])
    if (result === undefined) throw new ContractTrapError(id, fn, 'no answer from the sandbox')
    if (!result.ok) throw result.error
    return result.value
  }

  async callMany (calls: readonly ContractCall[]): Promise<ContractCallResult[]> {
    if (this.stopped) throw new SandboxStoppedError()
    const results = await Promise.all(calls.map(async ({ id, fn, args }) => await new Promise<ContractCallResult>(resolve => {
      // An unknown id fails its call alone; the others still run.
      if (!this.modules.has(id)) resolve({ ok: false, error: new ContractNotLoadedError(id) })
      else this.enqueue({ kind: 'call', id, fn, args: fitChainFacts(fn, args, this.chainAware.has(id)), done: resolve })
    })))
    const stopped = results.find(r => !r.ok && r.error.name === 'SandboxStoppedError')
    if (stopped !== undefined && !stopped.ok) throw stopped.error
    return results
  }

  stats (): SandboxStats {
    let queuedCalls = 0
    for (const queue of this.queues.values()) queuedCalls += queue.filter(job => job.kind === 'call').length
    return { workers: this.slots.length, workerRestarts: this.restarts, queuedCalls, directCalls: this.directCalls }
  }

  async stop (): Promise<void> {
    this.stopped = true
    const reason = new SandboxStoppedError()
    for (const queue of this.queues.values()) {
      for (const job of queue.splice(0)) this.fail(job, reason)
    }
    this.queues.clear()
    this.ready.length = 0
    await Promise.all(this.slots.map(async slot => { await slot.thread.stop(reason) }))
  }

  private enqueue (job: Job): void {
    let queue = this.queues.get(job.id)
    if (queue === undefined) {
      queue = []
      this.queues.set(job.id, queue)
    }
    queue.push(job)
    if (queue.length === 1 && !this.running.has(job.id)) this.ready.push(job.id)
    this.pump()
  }

  /** Gives idle workers the next contracts in turn; a contract goes where its module already is, if that worker is idle. */
  private pump (): void {
    if (this.stopped) return
    for (const slot of this.slots) {
      if (!slot.busy && slot.unloads.size > 0) this.occupy(slot, undefined)
    }
    while (this.ready.length > 0) {
      const idle = this.slots.filter(slot => !slot.busy)
      if (idle.length === 0) return
      const id = this.ready.shift() as string
      const generation = this.modules.get(id)?.generation
      const slot = idle.find(s => generation !== undefined && s.thread.loaded.get(id) === generation) ?? idle[0] as Slot
      this.occupy(slot, id)
    }
  }

  /** Runs one turn of contract `id` (or only the pending unloads) on `slot`, then gives it to whoever is next. */
  private occupy (slot: Slot, id: string | undefined): void {
    slot.busy = true
    if (id !== undefined) this.running.add(id)
    const work = async (): Promise<void> => {
      for (const unloaded of [...slot.unloads]) {
        slot.unloads.delete(unloaded)
        await slot.thread.request({ type: 'unload', seq: 0, id: unloaded }, this.loadTimeoutMs).catch(() => {})
      }
      if (id !== undefined) await this.turn(slot, id)
    }
    work().catch((err: unknown) => { this.components.log.error('a turn of contract %s failed: %e', id, err) }).finally(() => {
      slot.busy = false
      if (id !== undefined) {
        this.running.delete(id)
        const queue = this.queues.get(id)
        if (queue !== undefined && queue.length > 0) this.ready.push(id)
        else this.queues.delete(id)
      }
      this.pump()
    })
  }

  /** The contract's next job, or its next run of calls (up to SANDBOX_TURN_CALLS), on this worker. */
  private async turn (slot: Slot, id: string): Promise<void> {
    const queue = this.queues.get(id)
    const head = queue?.[0]
    if (queue === undefined || head === undefined) return
    if (head.kind === 'load') {
      queue.shift()
      await this.runLoad(slot, head)
      return
    }
    const jobs: CallJob[] = []
    while (jobs.length < SANDBOX_TURN_CALLS && queue[0]?.kind === 'call') jobs.push(queue.shift() as CallJob)
    const module = this.modules.get(id)
    if (module === undefined) {
      for (const job of jobs) job.done({ ok: false, error: new ContractNotLoadedError(id) })
      return
    }
    if (slot.thread.loaded.get(id) !== module.generation) {
      // A fresh worker, or one that last held an older module: the module loaded fine before, so load it quietly.
      try {
        await slot.thread.request({ type: 'load', seq: 0, id, wasm: module.wasm, plan: module.plan }, this.loadTimeoutMs)
        slot.thread.loaded.set(id, module.generation)
      } catch (err) {
        for (const job of jobs) this.fail(job, err instanceof WorkerRequestError ? new ContractTrapError(id, job.fn, `it could not be loaded again: ${err.message}`) : err as Error)
        return
      }
    }
    let replies: CallReply[]
    try {
      replies = await slot.thread.request({ type: 'calls', seq: 0, id, turnMs: this.callTimeoutMs, calls: jobs.map(job => ({ fn: job.fn, args: job.args as never })) }, this.callTimeoutMs) as CallReply[]
    } catch (err) {
      if (!(err instanceof WorkerRequestError)) {
        for (const job of jobs) this.fail(job, err as Error)
        return
      }
      // The worker was ended under the call running then: that call failed. The calls before it
      // ran but their answers went with the worker, and the ones after never ran: all run again,
      // first in the contract's next turn (contracts are deterministic).
      const blamed = err.callIndex ?? 0
      const job = jobs[blamed] as CallJob
      job.done({ ok: false, error: this.workerFailure(err, job) })
      queue.unshift(...jobs.filter((_, i) => i !== blamed))
      return
    }
    const deferred: CallJob[] = []
    jobs.forEach((job, i) => {
      const reply = replies[i]
      if (reply === undefined) job.done({ ok: false, error: new ContractTrapError(id, job.fn, 'no answer from the sandbox') })
      else if (reply.ok) {
        if (reply.direct === true) this.directCalls++
        job.done({ ok: true, value: reply.value })
      }
      else if (reply.failure === 'deferred') deferred.push(job)
      else job.done({ ok: false, error: this.callFailure(reply, job) })
    })
    queue.unshift(...deferred)
  }

  private async runLoad (slot: Slot, job: LoadJob): Promise<void> {
    try {
      await slot.thread.request({ type: 'load', seq: 0, id: job.id, wasm: job.module.wasm, plan: job.module.plan }, this.loadTimeoutMs)
    } catch (err) {
      if (this.stopped) {
        job.done(new SandboxStoppedError())
        return
      }
      const timedOut = err instanceof WorkerRequestError && err.reason === 'timeout'
      job.done(new ContractModuleError(job.id, timedOut ? `loading took longer than ${this.loadTimeoutMs} ms` : (err as Error).message))
      return
    }
    const generation = ++this.generation
    this.modules.set(job.id, { ...job.module, generation })
    slot.thread.loaded.set(job.id, generation)
    job.done()
  }

  /** The named error of a call the worker answered as failed. */
  private callFailure (reply: Extract<CallReply, { ok: false }>, job: CallJob): Error {
    switch (reply.failure) {
      case 'memory': return new ContractOutOfMemoryError(job.id, job.fn, this.maxMemoryPages * WASM_PAGE_BYTES)
      case 'stack': return new ContractStackOverflowError(job.id, job.fn)
      case 'result': return new ContractResultTooLargeError(job.id, job.fn, reply.detail ?? 0, this.maxResultBytes)
      default: return new ContractTrapError(job.id, job.fn, reply.error)
    }
  }

  /** The named error of a call whose worker was ended under it. */
  private workerFailure (err: WorkerRequestError, job: CallJob): Error {
    if (this.stopped) return new SandboxStoppedError()
    switch (err.reason) {
      case 'timeout': return new ContractTimeoutError(job.id, job.fn, this.callTimeoutMs)
      // The worker's own heap (where marine-js copies answers) ran out during the call.
      case 'out-of-memory': return new ContractOutOfMemoryError(job.id, job.fn, this.maxMemoryPages * WASM_PAGE_BYTES)
      default: return new ContractTrapError(job.id, job.fn, err.message)
    }
  }

  private fail (job: Job, err: Error): void {
    if (job.kind === 'load') job.done(err)
    else job.done({ ok: false, error: err })
  }
}

export function createWorkerSandbox (components: ContractSandboxComponents, init: ContractSandboxInit = {}): ContractSandbox {
  return new WorkerContractSandbox(components, init)
}
