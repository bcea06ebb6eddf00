import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import type { Logger } from '@libp2p/logger'
import { CONTRACT_CALL_TIMEOUT_MS, CONTRACT_LOAD_TIMEOUT_MS, CONTRACT_MAX_MEMORY_PAGES, SANDBOX_WORKER_HEAP_MB } from './constants.js'
import { ContractModuleError, ContractNotLoadedError, ContractTimeoutError, ContractTrapError, SandboxStoppedError } from './errors.js'
import type { CallReply, SandboxReply, SandboxRequest } from './sandbox-worker.js'
import { limitMemory } from './wasm-memory.js'

export interface ContractSandboxComponents {
  log: Logger
}

export interface ContractSandboxInit {
  callTimeoutMs?: number
  loadTimeoutMs?: number
  maxMemoryPages?: number
}

export type ContractArgs = unknown[] | Record<string, unknown>

/** One call of `callMany`. */
export interface ContractCall { id: string, fn: string, args: ContractArgs }

/** The answer to one call of `callMany`: what `call` would have resolved to, or thrown. */
export type ContractCallResult = { ok: true, value: unknown } | { ok: false, error: Error }

export interface ContractSandbox {
  /** Checks and caps the module, then instantiates it. Replaces a module with the same id. */
  load(id: string, wasm: Uint8Array): Promise<void>
  unload(id: string): Promise<void>
  has(id: string): boolean
  /** Calls an exported service function within the time budget. */
  call(id: string, fn: string, args: ContractArgs): Promise<unknown>
  /**
   * Several calls, in order, in one round trip to the worker; each result is what `call` would
   * have given (a trap fails only its own call). The whole batch gets one call's budget: if it runs
   * past it (a loop, or just many slow calls), the worker is restarted and the calls are made again
   * one by one, each with its own budget, so a looping contract costs one budget more than before.
   */
  callMany(calls: readonly ContractCall[]): Promise<ContractCallResult[]>
  stop(): Promise<void>
}

type Pending = { resolve: (value: unknown) => void, reject: (err: Error) => void }

/** The worker's note of the batch call it is running, as sandbox-worker.ts writes it: request seq, then when the call started. */
const CLOCK_SEQ = 0
const CLOCK_STARTED_AT = 1

/**
 * The compiled worker beside this file, or its TypeScript source when running from source. In a
 * packaged Electron app it is the copy electron-builder unpacked beside the asar (`asarUnpack`):
 * a worker thread, and the marine-js it imports, load from real files.
 */
function workerUrl (): URL {
  const compiled = new URL('./sandbox-worker.js', import.meta.url)
  const unpacked = new URL(compiled.href.replace(/\.asar\//, '.asar.unpacked/'))
  if (unpacked.href !== compiled.href && fs.existsSync(fileURLToPath(unpacked))) return unpacked
  return fs.existsSync(fileURLToPath(compiled)) ? compiled : new URL('./sandbox-worker.ts', import.meta.url)
}

/**
 * Runs untrusted meta contracts in a worker thread. Calls go one at a time; a call that runs past
 * its budget (a loop, say) gets the worker terminated, which stops even a module that never
 * yields, and the next call starts a fresh worker and reloads the modules it needs.
 */
class WorkerContractSandbox implements ContractSandbox {
  private worker: Worker | undefined
  private readonly modules = new Map<string, Uint8Array>()
  private readonly loadedInWorker = new Set<string>()
  private readonly pending = new Map<number, Pending>()
  private replies: MessagePort | undefined
  /** The worker's note of the batch call it is running (sandbox-worker.ts, CLOCK_*). */
  private clock: BigInt64Array | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private seq = 0
  private stopped = false
  private readonly callTimeoutMs: number
  private readonly loadTimeoutMs: number
  private readonly maxMemoryPages: number

  constructor (private readonly components: ContractSandboxComponents, init: ContractSandboxInit) {
    this.callTimeoutMs = init.callTimeoutMs ?? CONTRACT_CALL_TIMEOUT_MS
    this.loadTimeoutMs = init.loadTimeoutMs ?? CONTRACT_LOAD_TIMEOUT_MS
    this.maxMemoryPages = init.maxMemoryPages ?? CONTRACT_MAX_MEMORY_PAGES
  }

  has (id: string): boolean {
    return this.modules.has(id)
  }

  async load (id: string, wasm: Uint8Array): Promise<void> {
    let capped: Uint8Array
    try {
      capped = limitMemory(wasm, this.maxMemoryPages).wasm
    } catch (err) {
      throw new ContractModuleError(id, (err as Error).message)
    }
    await this.serial(async () => {
      try {
        await this.request({ type: 'load', seq: 0, id, wasm: capped }, this.loadTimeoutMs)
      } catch (err) {
        if ((err as Error).name === 'SandboxStoppedError') throw err
        throw new ContractModuleError(id, err instanceof ContractTimeoutError ? `loading took longer than ${this.loadTimeoutMs} ms` : (err as Error).message)
      }
      this.modules.set(id, capped)
      this.loadedInWorker.add(id)
    })
  }

  async unload (id: string): Promise<void> {
    this.modules.delete(id)
    if (!this.loadedInWorker.has(id)) return
    await this.serial(async () => {
      this.loadedInWorker.delete(id)
      await this.request({ type: 'unload', seq: 0, id }, this.loadTimeoutMs)
    })
  }

  async call (id: string, fn: string, args: ContractArgs): Promise<unknown> {
    return this.serial(async () => {
      const wasm = this.modules.get(id)
      if (wasm === undefined) throw new ContractNotLoadedError(id)
      if (!this.loadedInWorker.has(id)) {
        // A fresh worker after a timeout: the module loaded fine before, so reload it quietly.
        await this.request({ type: 'load', seq: 0, id, wasm }, this.loadTimeoutMs)
        this.loadedInWorker.add(id)
      }
      try {
        return await this.request({ type: 'call', seq: 0, id, fn, args: args as never }, this.callTimeoutMs)
      } catch (err) {
        if (err instanceof ContractTimeoutError) throw new ContractTimeoutError(id, fn, this.callTimeoutMs)
        if ((err as Error).name === 'SandboxStoppedError') throw err
        throw new ContractTrapError(id, fn, (err as Error).message)
      }
    })
  }

  async callMany (calls: readonly ContractCall[]): Promise<ContractCallResult[]> {
    if (calls.length === 0) return []
    const batch = await this.serial(async () => {
      for (const { id } of calls) {
        const wasm = this.modules.get(id)
        // An unknown id fails its call alone, below; the others still run.
        if (wasm === undefined || this.loadedInWorker.has(id)) continue
        await this.request({ type: 'load', seq: 0, id, wasm }, this.loadTimeoutMs)
        this.loadedInWorker.add(id)
      }
      const runnable = calls.map(c => ({ id: c.id, fn: c.fn, args: c.args as never, known: this.modules.has(c.id) }))
      try {
        const replies = await this.request({ type: 'calls', seq: 0, id: calls[0]?.id ?? '', calls: runnable.filter(c => c.known) }, this.callTimeoutMs) as CallReply[]
        let next = 0
        return runnable.map((c): ContractCallResult => {
          if (!c.known) return { ok: false, error: new ContractNotLoadedError(c.id) }
          const reply = replies[next++]
          if (reply === undefined) return { ok: false, error: new ContractTrapError(c.id, c.fn, 'no answer from the sandbox') }
          return reply.ok ? { ok: true, value: reply.value } : { ok: false, error: new ContractTrapError(c.id, c.fn, reply.error) }
        })
      } catch (err) {
        if (err instanceof ContractTimeoutError) return undefined
        throw err
      }
    })
    if (batch !== undefined) return batch
    // The batch ran out of time (the worker was restarted): find the slow call with exact budgets.
    const results: ContractCallResult[] = []
    for (const { id, fn, args } of calls) {
      try {
        results.push({ ok: true, value: await this.call(id, fn, args) })
      } catch (err) {
        if ((err as Error).name === 'SandboxStoppedError') throw err
        results.push({ ok: false, error: err as Error })
      }
    }
    return results
  }

  async stop (): Promise<void> {
    this.stopped = true
    await this.terminate(new SandboxStoppedError())
  }

  /** Runs one piece of work after the previous one, whatever its outcome. */
  private async serial<T> (work: () => Promise<T>): Promise<T> {
    if (this.stopped) throw new SandboxStoppedError()
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => {})
    return next
  }

  private ensureWorker (): Worker {
    if (this.worker !== undefined) return this.worker
    // stdout/stderr piped to the log: marine-js prints a stack trace for every trap, and a
    // misbehaving contract is expected here, not news for the user's terminal.
    // Replies come on a channel of their own, which a timer can drain synchronously (see request).
    const { port1: replies, port2 } = new MessageChannel()
    const clock = new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT)
    const worker = new Worker(workerUrl(), { stdout: true, stderr: true, workerData: { replies: port2, clock }, transferList: [port2], resourceLimits: { maxOldGenerationSizeMb: SANDBOX_WORKER_HEAP_MB } })
    this.clock = new BigInt64Array(clock)
    const relay = (chunk: Buffer): void => { this.components.log('contract output: %s', chunk.toString().trimEnd()) }
    worker.stdout.on('data', relay)
    worker.stderr.on('data', relay)
    replies.on('message', (reply: SandboxReply) => { this.onReply(reply) })
    this.replies = replies
    worker.on('error', err => {
      this.components.log.error('contract sandbox worker failed: %e', err)
      void this.terminate(err)
    })
    worker.on('exit', () => {
      if (this.worker === worker) void this.terminate(new Error('the contract sandbox worker exited'))
    })
    this.worker = worker
    return worker
  }

  private onReply (reply: SandboxReply): void {
    const pending = this.pending.get(reply.seq)
    if (pending === undefined) return
    this.pending.delete(reply.seq)
    if (reply.ok) pending.resolve(reply.value)
    else pending.reject(new Error(reply.error))
  }

  private drainReplies (): void {
    const port = this.replies
    if (port === undefined) return
    for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) this.onReply(next.message as SandboxReply)
  }

  private async request (request: SandboxRequest, timeoutMs: number): Promise<unknown> {
    const worker = this.ensureWorker()
    const seq = ++this.seq
    return new Promise((resolve, reject) => {
      const expire = (): void => {
        // This thread may have been too busy to read the worker's answer before the timer came
        // due (timers run before messages in Node's loop): read what is waiting first, so only
        // the worker's own slowness counts against the budget.
        const armed = timer
        this.drainReplies()
        if (!this.pending.has(seq) || timer !== armed) return
        // A batch gives every call the whole budget, however long the batch: count from the start
        // of the call running now (a note in shared memory, so finishing a call costs no message).
        const left = request.type === 'calls' ? this.callStartedAt(seq) + timeoutMs - Date.now() : 0
        if (left > 0) {
          timer = setTimeout(expire, left)
          return
        }
        this.pending.delete(seq)
        reject(new ContractTimeoutError(request.id, request.type, timeoutMs))
        void this.terminate(new ContractTimeoutError(request.id, request.type, timeoutMs))
      }
      let timer = setTimeout(expire, timeoutMs)
      this.pending.set(seq, {
        resolve: value => { clearTimeout(timer); resolve(value) },
        reject: err => { clearTimeout(timer); reject(err) },
      })
      worker.postMessage({ ...request, seq })
    })
  }

  /** When the worker started the call of batch `seq` it is running; -Infinity if none of it has started. */
  private callStartedAt (seq: number): number {
    const clock = this.clock
    if (clock === undefined || Atomics.load(clock, CLOCK_SEQ) !== BigInt(seq)) return -Infinity
    return Number(Atomics.load(clock, CLOCK_STARTED_AT))
  }

  /** Ends the worker (and anything running in it); the next request starts a new one. */
  private async terminate (reason: Error): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    this.loadedInWorker.clear()
    for (const [seq, pending] of this.pending) {
      this.pending.delete(seq)
      pending.reject(reason)
    }
    this.replies?.close()
    this.replies = undefined
    this.clock = undefined
    if (worker !== undefined) await worker.terminate()
  }
}

export function createWorkerSandbox (components: ContractSandboxComponents, init: ContractSandboxInit = {}): ContractSandbox {
  return new WorkerContractSandbox(components, init)
}
