// The file reader's worker (batch-read.ts): reads batches of whole files with the same checks as
// read.ts's readRegularFile, synchronously, so the main thread pays one message per batch instead
// of four thread-pool round trips per file. Runs from dist/ (compiled) or from the TypeScript
// source (Node strips the types), so it keeps to erasable syntax and imports nothing relative:
// what it needs from constants.ts comes in workerData.
import { Buffer } from 'node:buffer'
import fs from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'

export interface ReadBatch {
  seq: number
  maxBytes: number
  /** Paths as bytes; `device` is the checked folder's st_dev (checkedFolder), if any. */
  files: Array<{ path: Uint8Array, device?: number }>
}

/** Why one file of a batch was not read; batch-read.ts makes it the error read.ts would throw. */
export type ReadRefusal =
  | { refused: 'kind', kind: string }
  | { refused: 'system', system: string }
  | { refused: 'size', size: number }
  | { refused: 'access', code: string }

/** A batch's results in order: a file's bytes are `bytes[start, end)`; one buffer for the whole batch. */
export interface ReadBatchReply {
  seq: number
  results: Array<{ start: number, end: number } | ReadRefusal>
  bytes: ArrayBuffer
}

export interface ReadWorkerData {
  replies: MessagePort
  /** Where the worker notes the file it is on, for the reader's deadline (batch-read.ts, CLOCK_*). */
  clock: SharedArrayBuffer
  flags: number
  systemFileSystems: Array<[number, string]>
  /** Tests only: before opening a path ending in `file`, block in a blocking open of `fifo`, as a hung mount would. */
  hold?: { file: string, fifo: string }
}

// Layout shared with batch-read.ts, which cannot import values from this file: where the worker is
// (batch seq × 65536 + the file's index + 1, or + 0 between files), and since when (Date.now()).
// The time is stored first, so a reader that reads the place first never pairs it with an older time.
const CLOCK_PLACE = 0
const CLOCK_SINCE = 1

const port = parentPort
if (port === null) throw new Error('read-worker.ts must run in a worker thread')
const init = workerData as ReadWorkerData
const clock = new BigInt64Array(init.clock)
// Running: from now on the reader counts deadlines from the worker's own notes.
Atomics.store(clock, CLOCK_SINCE, BigInt(Date.now()))
const systemFileSystems = new Map(init.systemFileSystems)
const linux = process.platform === 'linux'

/** What a status is if it is not a regular file: read.ts kindOf's words, for a handle's status. */
function kindOf (stat: fs.Stats): string | undefined {
  if (stat.isFile()) return undefined
  if (stat.isDirectory()) return 'a folder (folders are not read)'
  if (stat.isSymbolicLink()) return 'a symbolic link (links are not followed)'
  if (stat.isFIFO()) return 'a named pipe (FIFO)'
  if (stat.isSocket()) return 'a socket'
  if (stat.isBlockDevice() || stat.isCharacterDevice()) return 'a device'
  return 'not a file'
}

/** A system error's code: a fixed word (read.ts errorCode checks it again). */
function codeOf (err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : 'unknown error'
}

/** Reused for every file; a file is read into it up to maxBytes + 1, then copied into the batch's buffer. */
let scratch = Buffer.allocUnsafeSlow(64 * 1024 + 1)

function readOne (path: Uint8Array, device: number | undefined, maxBytes: number): Buffer | ReadRefusal {
  // A Buffer posted arrives as a plain Uint8Array: the same bytes, viewed again.
  const file = Buffer.from(path.buffer, path.byteOffset, path.byteLength)
  if (init.hold !== undefined && file.toString().endsWith(init.hold.file)) fs.closeSync(fs.openSync(init.hold.fifo, 'r'))
  let fd: number
  try {
    fd = fs.openSync(file, init.flags)
  } catch (err) {
    return { refused: 'access', code: codeOf(err) }
  }
  try {
    const stat = fs.fstatSync(fd)
    const kind = kindOf(stat)
    if (kind !== undefined) return { refused: 'kind', kind }
    if (linux && stat.dev !== device) {
      // statfs through /proc/self/fd names the open file itself, not a path that could have changed.
      // Without /proc the regular-file check stands alone, as in read.ts.
      let type: number | undefined
      try {
        type = Number(fs.statfsSync(`/proc/self/fd/${fd}`).type)
      } catch {
        type = undefined
      }
      const system = type === undefined ? undefined : systemFileSystems.get(type)
      if (system !== undefined) return { refused: 'system', system }
    }
    if (stat.size > maxBytes) return { refused: 'size', size: stat.size }
    if (scratch.length < maxBytes + 1) scratch = Buffer.allocUnsafeSlow(maxBytes + 1)
    let length = 0
    for (;;) {
      const asked = maxBytes + 1 - length
      const bytesRead = fs.readSync(fd, scratch, length, asked, null)
      length += bytesRead
      // A regular file answers short only at its end; one byte past the limit is enough to refuse it.
      if (bytesRead < asked || length > maxBytes) break
    }
    if (length > maxBytes) return { refused: 'size', size: length }
    return scratch.subarray(0, length)
  } catch (err) {
    return { refused: 'access', code: codeOf(err) }
  } finally {
    fs.closeSync(fd)
  }
}

port.on('message', (batch: ReadBatch) => {
  const results: ReadBatchReply['results'] = []
  const contents: Buffer[] = []
  let total = 0
  const note = (place: number): void => {
    Atomics.store(clock, CLOCK_SINCE, BigInt(Date.now()))
    Atomics.store(clock, CLOCK_PLACE, BigInt(batch.seq * 65536 + place))
  }
  batch.files.forEach((file, index) => {
    note(index + 1)
    const read = readOne(file.path, file.device, batch.maxBytes)
    if (Buffer.isBuffer(read)) {
      results.push({ start: total, end: total + read.length })
      contents.push(Buffer.from(read))
      total += read.length
    } else {
      results.push(read)
    }
  })
  note(0)
  const bytes = new ArrayBuffer(total)
  const view = new Uint8Array(bytes)
  let at = 0
  for (const content of contents) {
    view.set(content, at)
    at += content.length
  }
  const reply: ReadBatchReply = { seq: batch.seq, results, bytes }
  init.replies.postMessage(reply, [bytes])
})
