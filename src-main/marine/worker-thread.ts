import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import type { Logger } from '@libp2p/logger'
import { SANDBOX_WORKER_HEAP_MB, WASM_PAGE_BYTES } from './constants.js'
import type { SandboxReply, SandboxRequest, SandboxWorkerData } from './sandbox-worker.js'

/** The worker's note of the call it is running, as sandbox-worker.ts writes it: request seq, start time, call index. */
const CLOCK_SEQ = 0
const CLOCK_STARTED_AT = 1
const CLOCK_INDEX = 2

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

/** Why a request ended without an answer: its budget ran out, or the worker died under it. */
export class WorkerRequestError extends Error {
  override readonly name = 'WorkerRequestError'
  constructor (
    readonly reason: 'timeout' | 'exited' | 'out-of-memory',
    /** The call of a 'calls' request that was running, if one had started. */
    readonly callIndex: number | undefined,
  ) {
    super(reason === 'timeout' ? 'the time budget ran out' : reason === 'out-of-memory' ? 'the sandbox worker ran out of memory' : 'the sandbox worker stopped')
  }
}

export interface WorkerThreadInit {
  log: Logger
  maxMemoryPages: number
  maxResultBytes: number
  /** Told each time the thread is ended under a request (a budget ran out, or it died): for the pool's count. */
  onRestart(): void
}

type Pending = { resolve: (value: unknown) => void, reject: (err: Error) => void, callIndex: () => number | undefined }

/**
 * One sandbox worker thread, started on first use. A request that runs past its budget (a loop
 * never yields) ends the thread, which stops even a module that never returns; the next request
 * starts a fresh one. `loaded` says which contract modules (by generation) the thread holds.
 */
export class WorkerThread {
  private worker: Worker | undefined
  private replies: MessagePort | undefined
  /** The worker's note of the call it is running (sandbox-worker.ts, CLOCK_*). */
  private clock: BigInt64Array | undefined
  private readonly pending = new Map<number, Pending>()
  private seq = 0
  private closed = false
  /** Contract id → the generation of its module this thread holds. */
  readonly loaded = new Map<string, number>()

  constructor (private readonly init: WorkerThreadInit) {}

  /**
   * Sends one request. For 'calls', each call gets `timeoutMs` from its own start (the worker's
   * note in shared memory); otherwise the request as a whole does. Rejects with WorkerRequestError
   * when the budget runs out (the thread is ended) or the thread dies.
   */
  async request (request: SandboxRequest, timeoutMs: number): Promise<unknown> {
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
        const left = request.type === 'calls' ? this.callStartedAt(seq) + timeoutMs - Date.now() : 0
        if (left > 0) {
          timer = setTimeout(expire, left)
          return
        }
        const index = this.runningCall(seq)
        this.pending.delete(seq)
        reject(new WorkerRequestError('timeout', index))
        this.end(new WorkerRequestError('exited', undefined), true)
      }
      let timer = setTimeout(expire, timeoutMs)
      this.pending.set(seq, {
        resolve: value => { clearTimeout(timer); resolve(value) },
        reject: err => { clearTimeout(timer); reject(err) },
        callIndex: () => this.runningCall(seq),
      })
      worker.postMessage({ ...request, seq })
    })
  }

  /**
   * Starts the thread now if it is not running, so the next request does not wait for it (a
   * thread takes a while to start: marine-js compiles its own module first).
   */
  warm (): void {
    if (!this.closed) this.ensureWorker()
  }

  /** Ends the thread (and anything running in it) for good. */
  async stop (reason: Error): Promise<void> {
    this.closed = true
    const worker = this.worker
    this.fail(reason)
    if (worker !== undefined) await worker.terminate()
  }

  private ensureWorker (): Worker {
    if (this.worker !== undefined) return this.worker
    if (this.closed) throw new Error('the sandbox worker is stopped')
    // stdout/stderr piped to the log: marine-js prints a stack trace for every trap, and a
    // misbehaving contract is expected here, not news for the user's terminal.
    // Replies come on a channel of their own, which a timer can drain synchronously (see request).
    const { port1: replies, port2 } = new MessageChannel()
    const clock = new SharedArrayBuffer(3 * BigInt64Array.BYTES_PER_ELEMENT)
    const workerData: SandboxWorkerData = { replies: port2, clock, maxMemoryBytes: this.init.maxMemoryPages * WASM_PAGE_BYTES, maxResultBytes: this.init.maxResultBytes }
    const worker = new Worker(workerUrl(), { stdout: true, stderr: true, workerData, transferList: [port2], resourceLimits: { maxOldGenerationSizeMb: SANDBOX_WORKER_HEAP_MB } })
    this.clock = new BigInt64Array(clock)
    const relay = (chunk: Buffer): void => { this.init.log('contract output: %s', chunk.toString().trimEnd()) }
    worker.stdout.on('data', relay)
    worker.stderr.on('data', relay)
    replies.on('message', (reply: SandboxReply) => { this.onReply(reply) })
    this.replies = replies
    worker.on('error', err => {
      if (this.worker !== worker) return
      this.init.log.error('contract sandbox worker failed: %e', err)
      const outOfMemory = (err as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY'
      this.end(new WorkerRequestError(outOfMemory ? 'out-of-memory' : 'exited', undefined))
    })
    worker.on('exit', () => {
      if (this.worker === worker) this.end(new WorkerRequestError('exited', undefined))
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

  /** When the worker started the call of request `seq` it is running; -Infinity if none of it has started. */
  private callStartedAt (seq: number): number {
    const clock = this.clock
    if (clock === undefined || Atomics.load(clock, CLOCK_SEQ) !== BigInt(seq)) return -Infinity
    return Number(Atomics.load(clock, CLOCK_STARTED_AT))
  }

  /** Which call of request `seq` the worker is running, if it has started one. */
  private runningCall (seq: number): number | undefined {
    const clock = this.clock
    if (clock === undefined || Atomics.load(clock, CLOCK_SEQ) !== BigInt(seq)) return undefined
    return Number(Atomics.load(clock, CLOCK_INDEX))
  }

  /**
   * Ends the thread under its pending requests (counted as a restart), each failing with what was
   * running. `respawn` after a budget ran out: a fresh thread starts at once, so the next call (of
   * any contract) does not wait for one. Not after a crash, which a fresh thread might repeat in a
   * loop; the next request starts one then.
   */
  private end (reason: WorkerRequestError, respawn = false): void {
    const worker = this.worker
    if (worker === undefined) return
    this.init.onRestart()
    for (const [seq, pending] of this.pending) {
      this.pending.delete(seq)
      pending.reject(new WorkerRequestError(reason.reason, pending.callIndex()))
    }
    this.fail(reason)
    void worker.terminate()
    if (respawn) this.warm()
  }

  /** Forgets the thread: pending requests fail with `reason`, the next request starts another. */
  private fail (reason: Error): void {
    this.worker = undefined
    this.loaded.clear()
    for (const [seq, pending] of this.pending) {
      this.pending.delete(seq)
      pending.reject(reason)
    }
    this.replies?.close()
    this.replies = undefined
    this.clock = undefined
  }
}
