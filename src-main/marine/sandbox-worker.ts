// The contract sandbox's worker: hosts Marine services and answers one request at a time.
// Runs from dist/ (compiled) or from the TypeScript source (Node strips the types), so it keeps
// to erasable syntax and imports nothing relative.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { MarineService } from '@fluencelabs/marine-js/MarineService'
import { defaultCallParameters } from '@fluencelabs/marine-js/types'
import type { JSONArray, JSONObject } from '@fluencelabs/marine-js/types'

export type SandboxRequest =
  | { type: 'load', seq: number, id: string, wasm: Uint8Array }
  | { type: 'unload', seq: number, id: string }
  | { type: 'call', seq: number, id: string, fn: string, args: JSONArray | JSONObject }
  | { type: 'calls', seq: number, id: string, calls: Array<{ id: string, fn: string, args: JSONArray | JSONObject }> }

/** The answer to one call of a 'calls' request: a trap fails only its own call. */
export type CallReply = { ok: true, value: unknown } | { ok: false, error: string }

export type SandboxReply =
  | { seq: number, ok: true, value: unknown }
  | { seq: number, ok: false, error: string }

/**
 * Where the worker notes the call of a 'calls' batch it is running, for the sandbox's timer: the
 * budget is per call, so it counts from that call's start. Shared memory rather than a message
 * per call. Its layout (request seq, then Date.now() when the call started) is also read by
 * sandbox.ts, which cannot import values from this file.
 */
const CLOCK_SEQ = 0
const CLOCK_STARTED_AT = 1

const port = parentPort
if (port === null) throw new Error('sandbox-worker.ts must run in a worker thread')
// Answers go on the channel the sandbox gave us, which it can read synchronously when a budget runs out.
const answers: MessagePort = (workerData as { replies: MessagePort }).replies
const clock = new BigInt64Array((workerData as { clock: SharedArrayBuffer }).clock)

const require = createRequire(import.meta.url)
const controlWasm = fs.readFileSync(path.join(path.dirname(require.resolve('@fluencelabs/marine-js')), 'marine-js.wasm'))
const controlModule = new WebAssembly.Module(controlWasm)
const services = new Map<string, MarineService>()

// Contracts may log through Marine's host logger; their words stay out of the node's stdout.
const logs: string[] = []
const keepLog = (message: { service: string, message: string }): void => {
  logs.push(`${message.service}: ${message.message}`)
  if (logs.length > 100) logs.shift()
}

async function handle (request: SandboxRequest): Promise<unknown> {
  switch (request.type) {
    case 'load': {
      services.get(request.id)?.terminate()
      services.delete(request.id)
      const service = new MarineService(controlModule, request.id, keepLog, {
        modules_config: [{
          import_name: request.id,
          config: { logger_enabled: true, logging_mask: 0, wasi: { envs: {}, preopened_files: new Set(), mapped_dirs: new Map() } },
        }],
      }, { [request.id]: request.wasm })
      await service.init()
      services.set(request.id, service)
      return null
    }
    case 'unload': {
      services.get(request.id)?.terminate()
      services.delete(request.id)
      return null
    }
    case 'call': {
      const service = services.get(request.id)
      if (service === undefined) throw new Error(`not loaded: ${request.id}`)
      return service.call(request.fn, request.args, { ...defaultCallParameters, service_id: request.id })
    }
    case 'calls': {
      const replies: CallReply[] = []
      for (const call of request.calls) {
        // The start time first: the sandbox trusts it only once the seq says it is this request's.
        Atomics.store(clock, CLOCK_STARTED_AT, BigInt(Date.now()))
        Atomics.store(clock, CLOCK_SEQ, BigInt(request.seq))
        try {
          const service = services.get(call.id)
          if (service === undefined) throw new Error(`not loaded: ${call.id}`)
          replies.push({ ok: true, value: await service.call(call.fn, call.args, { ...defaultCallParameters, service_id: call.id }) })
        } catch (err) {
          replies.push({ ok: false, error: err instanceof Error ? err.message : String(err) })
        }
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
