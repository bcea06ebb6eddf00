import { Buffer } from 'node:buffer'
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { FILE_BATCH_FILES, FILE_BATCHES_IN_FLIGHT, FILE_READ_DEADLINE_MS, MAX_STUCK_READS, SYSTEM_FILE_SYSTEMS } from './constants.js'
import { holdStuck, stuckReads } from './deadline.js'
import { FileReadsStuckError, FileTimeoutError, FileTooLargeError, NotRegularFileError, SystemFileError } from './errors.js'
import { accessFailure, kindOf, READ_FLAGS, readRegularFile } from './read.js'
import type { ReadBatch, ReadBatchReply, ReadRefusal, ReadWorkerData } from './read-worker.js'

/** The worker's note of where it is, as read-worker.ts writes it: batch seq × 65536 + file index + 1 (0 between files), then since when. */
const CLOCK_PLACE = 0
const CLOCK_SINCE = 1
const PLACES = 65536

export interface FileReaderInit {
  /** Largest file read whole; a larger one is refused with FileTooLargeError. */
  maxBytes: number
  limitName?: string
  /** Per file, from when the worker starts it; defaults to FILE_READ_DEADLINE_MS. */
  deadlineMs?: number
  /** Tests only: the worker blocks on this FIFO before opening a path ending in `file`, as on a hung mount. */
  hold?: { file: string, fifo: string }
}

export interface FileReadRequest {
  /** The file as messages name it; defaults to the path. */
  label?: string
  /** The folder listing's entry: a FIFO or a device is refused without being opened. */
  listed?: fs.Dirent<Buffer> | fs.Dirent
  /** The checked folder's device (checkedFolder): a file on it needs no file-system check of its own. */
  checkedDevice?: number
}

export interface FileReader {
  /**
   * Reads a regular file whole, as readRegularFile does (same checks, same errors), in a batch
   * with the reads asked for around it. Reads are answered in any order; ask a few ahead.
   */
  read(file: Buffer | string, request?: FileReadRequest): Promise<Buffer>
  /** Ends the worker; reads still pending fail. Safe to call more than once. */
  close(): Promise<void>
}

interface Pending {
  file: Buffer
  label: string
  device: number | undefined
  resolve: (bytes: Buffer) => void
  reject: (err: Error) => void
}

interface Batch {
  seq: number
  files: Pending[]
  /** When it became the oldest batch in flight: the worker is on it from then, or soon after. */
  since: number
}

/**
 * The compiled worker beside this file, or its TypeScript source when running from source. In a
 * packaged Electron app it is the copy electron-builder unpacked beside the asar (`asarUnpack`).
 */
function workerUrl (): URL {
  const compiled = new URL('./read-worker.js', import.meta.url)
  const unpacked = new URL(compiled.href.replace(/\.asar\//, '.asar.unpacked/'))
  if (unpacked.href !== compiled.href && fs.existsSync(fileURLToPath(unpacked))) return unpacked
  return fs.existsSync(fileURLToPath(compiled)) ? compiled : new URL('./read-worker.ts', import.meta.url)
}

/**
 * Reads many small files (a folder import's items) in a worker thread, in batches: the worker
 * makes readRegularFile's checks synchronously and answers a batch in one message, which costs
 * the main thread far less than four thread-pool round trips per file. Each file keeps its own
 * deadline, counted from when the worker starts it: a file past it is refused with
 * FileTimeoutError, the worker is abandoned (counted among the stuck reads until its system call
 * returns) and a fresh one reads the rest. Should a worker fail otherwise, the rest are read with
 * readRegularFile.
 */
export function createFileReader (init: FileReaderInit): FileReader {
  const deadlineMs = init.deadlineMs ?? FILE_READ_DEADLINE_MS
  const { maxBytes } = init
  const queue: Pending[] = []
  const inFlight: Batch[] = []
  let worker: { thread: Worker, replies: MessagePort, clock: BigInt64Array, createdAt: number } | undefined
  let seq = 0
  let flushing = false
  let timer: NodeJS.Timeout | undefined
  let broken = false
  let closed = false

  const refusal = (label: string, refused: ReadRefusal): Error => {
    switch (refused.refused) {
      case 'kind': return new NotRegularFileError(label, refused.kind)
      case 'system': return new SystemFileError(label, refused.system)
      case 'size': return new FileTooLargeError(label, refused.size, maxBytes, init.limitName)
      case 'access': return accessFailure(label, { code: refused.code })
    }
  }

  /** The async path, for what a failed worker left: same checks, four calls per file. */
  const readAlone = (pending: Pending): void => {
    readRegularFile(pending.file, { maxBytes, limitName: init.limitName, label: pending.label, deadlineMs, checkedDevice: pending.device }).then(pending.resolve, pending.reject)
  }

  const start = (): NonNullable<typeof worker> => {
    const { port1, port2 } = new MessageChannel()
    const clock = new BigInt64Array(new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT))
    const data: ReadWorkerData = { replies: port2, clock: clock.buffer as SharedArrayBuffer, flags: READ_FLAGS, systemFileSystems: [...SYSTEM_FILE_SYSTEMS], ...(init.hold === undefined ? {} : { hold: init.hold }) }
    const thread = new Worker(workerUrl(), { workerData: data, transferList: [port2] })
    // Pending reads keep the process alive through the timer; an idle worker does not.
    thread.unref()
    port1.unref()
    const started = { thread, replies: port1, clock, createdAt: Date.now() }
    port1.on('message', (reply: ReadBatchReply) => { if (worker === started) answer(reply) })
    const failed = (): void => {
      if (worker !== started) return
      worker = undefined
      broken = true
      void thread.terminate()
      settleAllAlone()
    }
    thread.on('error', failed)
    thread.on('exit', failed)
    return started
  }

  const settleAllAlone = (): void => {
    clearTimeout(timer)
    timer = undefined
    const rest = [...inFlight.flatMap(b => b.files), ...queue]
    inFlight.length = 0
    queue.length = 0
    for (const pending of rest) readAlone(pending)
  }

  const answer = (reply: ReadBatchReply): void => {
    const batch = inFlight[0]
    if (batch?.seq !== reply.seq) return
    inFlight.shift()
    if (inFlight[0] !== undefined) {
      inFlight[0].since = Date.now()
    } else {
      // Nothing left to watch: the timer alone would keep the process up.
      clearTimeout(timer)
      timer = undefined
    }
    const bytes = Buffer.from(reply.bytes)
    reply.results.forEach((result, i) => {
      const pending = batch.files[i] as Pending
      if ('refused' in result) pending.reject(refusal(pending.label, result))
      // A copy of its own, so one item kept does not keep the batch's buffer.
      else pending.resolve(Buffer.from(bytes.subarray(result.start, result.end)))
    })
    flush()
  }

  /** Called at the deadline of the file the worker is on: refuses that file if it is still on it. */
  const check = (): void => {
    timer = undefined
    if (worker === undefined) return
    // A batch answered just now is taken first, without waiting for its event.
    for (let reply = receiveMessageOnPort(worker.replies); reply !== undefined; reply = receiveMessageOnPort(worker.replies)) {
      answer(reply.message as ReadBatchReply)
    }
    const batch = inFlight[0]
    if (batch === undefined || worker === undefined) return
    const place = Number(Atomics.load(worker.clock, CLOCK_PLACE))
    const noted = Number(Atomics.load(worker.clock, CLOCK_SINCE))
    const onBatch = Math.floor(place / PLACES) === batch.seq
    const index = onBatch ? (place % PLACES) - 1 : -1
    const since = onBatch ? noted : Math.max(batch.since, noted)
    // A worker still starting (loading its code on a busy machine) gets at least the default deadline.
    const left = noted === 0 ? worker.createdAt + Math.max(deadlineMs, FILE_READ_DEADLINE_MS) - Date.now() : since + deadlineMs - Date.now()
    if (left > 0) {
      arm(left)
      return
    }
    const stuck = index < 0 ? undefined : batch.files[index]
    const { thread } = worker
    worker = undefined
    if (stuck === undefined) {
      // Not on a file, yet not answering: a worker that failed to start or stalled; read the rest alone.
      broken = true
      void thread.terminate()
      settleAllAlone()
      return
    }
    // The worker is blocked in a system call on this file: it cannot be interrupted, only left.
    const release = holdStuck()
    thread.once('exit', release)
    void thread.terminate()
    stuck.reject(new FileTimeoutError(stuck.label, deadlineMs))
    // The files it read before are read again by a fresh worker: their answers went with it.
    const rest = [...batch.files.filter(p => p !== stuck), ...inFlight.slice(1).flatMap(b => b.files)]
    inFlight.length = 0
    queue.unshift(...rest)
    flush()
  }

  const arm = (ms: number): void => {
    clearTimeout(timer)
    timer = setTimeout(check, Math.max(ms, 1))
  }

  const flush = (): void => {
    if (closed) return
    if (broken) {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) readAlone(next)
      return
    }
    while (queue.length > 0 && inFlight.length < FILE_BATCHES_IN_FLIGHT) {
      // A partial batch only when the worker would otherwise wait: a full one costs the same message.
      if (queue.length < FILE_BATCH_FILES && inFlight.length > 0) break
      const stuck = stuckReads()
      if (worker === undefined && stuck >= MAX_STUCK_READS) {
        // No fresh worker while as many reads are stuck as allowed: refused at once, as readRegularFile would.
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) next.reject(new FileReadsStuckError(next.label, stuck))
        return
      }
      worker ??= start()
      const files = queue.splice(0, FILE_BATCH_FILES)
      const batch: Batch = { seq: ++seq, files, since: Date.now() }
      inFlight.push(batch)
      const message: ReadBatch = { seq: batch.seq, maxBytes, files: files.map(p => p.device === undefined ? { path: p.file } : { path: p.file, device: p.device }) }
      worker.thread.postMessage(message)
    }
    if (inFlight.length > 0 && timer === undefined) arm(deadlineMs)
  }

  return {
    async read (file, request = {}) {
      const label = request.label ?? file.toString()
      if (closed) throw new Error('the file reader is closed')
      if (request.listed !== undefined) {
        const kind = kindOf(request.listed)
        if (kind !== undefined) throw new NotRegularFileError(label, kind)
      }
      return await new Promise<Buffer>((resolve, reject) => {
        queue.push({ file: Buffer.isBuffer(file) ? file : Buffer.from(file), label, device: request.checkedDevice, resolve, reject })
        // Reads asked for in the same turn go in one batch.
        if (!flushing) {
          flushing = true
          setImmediate(() => {
            flushing = false
            flush()
          })
        }
      })
    },
    async close () {
      if (closed) return
      closed = true
      clearTimeout(timer)
      const rest = [...inFlight.flatMap(b => b.files), ...queue]
      inFlight.length = 0
      queue.length = 0
      for (const pending of rest) pending.reject(new Error('the file reader was closed before this file was read'))
      const current = worker
      worker = undefined
      if (current !== undefined) await current.thread.terminate()
    },
  }
}
