import fs from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { SIGN_CHUNK, SIGN_WORKER_OLD_SPACE_MB, SIGN_WORKER_YOUNG_SPACE_MB, SIGN_WORKERS_MAX } from './constants.js'
import type { SignWorkerData, SignWorkerReply, SignWorkerRequest } from './sign-worker.js'

/** Signs messages with one key on worker threads; `sign` calls made in the same turn travel together. */
export interface SignPool {
  sign(message: Uint8Array): Promise<Uint8Array>
  /** Asks every worker to erase its copy of the key and exit. Idempotent. */
  close(): void
}

export interface SignPoolInit {
  /** Worker threads; default one per core but one, at least 1 and at most SIGN_WORKERS_MAX. */
  workers?: number
}

interface Waiting { message: Uint8Array, resolve: (signature: Uint8Array) => void, reject: (err: Error) => void }
interface Thread { worker: Worker, outstanding: Map<number, Waiting[]>, load: number }

/** The built file next to this one, else (tests run the sources) the TypeScript file. */
function moduleUrl (dir: string, name: string): URL {
  const compiled = new URL(`${dir}${name}.js`, import.meta.url)
  const unpacked = new URL(compiled.href.replace(/\.asar\//, '.asar.unpacked/'))
  if (unpacked.href !== compiled.href && fs.existsSync(fileURLToPath(unpacked))) return unpacked
  return fs.existsSync(fileURLToPath(compiled)) ? compiled : new URL(`${dir}${name}.ts`, import.meta.url)
}

/**
 * A pool for a secp256k1 key: signatures are made on worker threads, each holding a copy of the
 * key. `fallback` signs on this thread, for what a worker that failed left unsigned (and for
 * everything once none is left), so a broken worker slows signing down but never refuses an item.
 */
export function createSignPool (secret: Uint8Array, fallback: (message: Uint8Array) => Uint8Array, init: SignPoolInit = {}): SignPool {
  // One core is left to the thread that asks (the import's own work is as large as its signing).
  const count = Math.max(1, init.workers ?? Math.min(SIGN_WORKERS_MAX, os.availableParallelism() - 1))
  const threads: Thread[] = []
  let queue: Waiting[] = []
  let scheduled = false
  let closed = false
  let seq = 0

  const signHere = (waiting: Waiting[]): void => {
    for (const w of waiting) {
      try {
        w.resolve(fallback(w.message))
      } catch (err) {
        w.reject(err instanceof Error ? err : new Error(String(err)))
      }
    }
  }

  const drop = (thread: Thread): void => {
    const at = threads.indexOf(thread)
    if (at < 0) return
    threads.splice(at, 1)
    void thread.worker.terminate()
    for (const waiting of thread.outstanding.values()) signHere(waiting)
    thread.outstanding.clear()
  }

  const spawn = (): Thread => {
    const data: SignWorkerData = { secret: Uint8Array.from(secret), module: moduleUrl('../signing/', 'personal-sign').href }
    // A signature's garbage is short-lived BigInts: a small young generation holds it, and keeps each thread's memory small.
    const worker = new Worker(moduleUrl('./', 'sign-worker'), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: SIGN_WORKER_YOUNG_SPACE_MB, maxOldGenerationSizeMb: SIGN_WORKER_OLD_SPACE_MB } })
    // Only outstanding batches hold the process open; an idle pool does not.
    worker.unref()
    const thread: Thread = { worker, outstanding: new Map(), load: 0 }
    worker.on('message', (reply: SignWorkerReply) => {
      const waiting = thread.outstanding.get(reply.seq)
      if (waiting === undefined) return
      thread.outstanding.delete(reply.seq)
      thread.load -= waiting.length
      if (thread.outstanding.size === 0) worker.unref()
      if ('error' in reply) {
        for (const w of waiting) w.reject(new Error(reply.error))
        return
      }
      waiting.forEach((w, i) => { const s = reply.signatures[i]; if (s === undefined) signHere([w]); else w.resolve(s) })
    })
    worker.on('error', () => { drop(thread) })
    worker.on('exit', () => { drop(thread) })
    return thread
  }

  const flush = (): void => {
    scheduled = false
    const waiting = queue
    queue = []
    if (closed) {
      signHere(waiting)
      return
    }
    const wanted = Math.min(count, Math.ceil(waiting.length / SIGN_CHUNK))
    while (threads.length < wanted) threads.push(spawn())
    for (let i = 0; i < waiting.length; i += SIGN_CHUNK) {
      const chunk = waiting.slice(i, i + SIGN_CHUNK)
      const thread = threads.reduce<Thread | undefined>((least, t) => least === undefined || t.load < least.load ? t : least, undefined)
      if (thread === undefined) {
        signHere(chunk)
        continue
      }
      seq += 1
      thread.outstanding.set(seq, chunk)
      thread.load += chunk.length
      thread.worker.ref()
      const request: SignWorkerRequest = { seq, messages: chunk.map(w => w.message) }
      thread.worker.postMessage(request)
    }
  }

  return {
    async sign (message) {
      return await new Promise<Uint8Array>((resolve, reject) => {
        queue.push({ message, resolve, reject })
        if (!scheduled) {
          scheduled = true
          queueMicrotask(flush)
        }
      })
    },
    close () {
      if (closed) return
      closed = true
      for (const thread of threads.splice(0)) {
        const lock: SignWorkerRequest = { lock: true }
        thread.worker.postMessage(lock)
        // Batches still out are answered first (messages arrive in order), then it exits.
        if (thread.outstanding.size === 0) thread.worker.unref()
      }
    },
  }
}
