// A worker thread holding a copy of one secp256k1 private key, signing batches of messages with
// personal_sign. It imports packages only (and the signing module by the URL it is given), so it
// runs as built and from the TypeScript sources alike.
import { parentPort, workerData } from 'node:worker_threads'

export interface SignWorkerData {
  secret: Uint8Array
  /** URL of signing/personal-sign (.js when built, .ts from the sources). */
  module: string
}

/** A batch to sign, or `lock`: erase the key and exit. */
export type SignWorkerRequest = { seq: number, messages: Uint8Array[] } | { lock: true }
export type SignWorkerReply = { seq: number, signatures: Uint8Array[] } | { seq: number, error: string }

const data = workerData as SignWorkerData
const { signPersonalMessage } = await import(data.module) as {
  signPersonalMessage: (message: Uint8Array, privateKey: Uint8Array) => Uint8Array
}
const secret = data.secret

parentPort?.on('message', (request: SignWorkerRequest) => {
  if ('lock' in request) {
    secret.fill(0)
    parentPort?.close()
    return
  }
  let reply: SignWorkerReply
  try {
    reply = { seq: request.seq, signatures: request.messages.map(m => signPersonalMessage(m, secret)) }
  } catch (err) {
    reply = { seq: request.seq, error: String((err as Error).message) }
  }
  parentPort?.postMessage(reply)
})
