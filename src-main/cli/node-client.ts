import { readApiFile, readApiToken } from '../node/local/index.js'
import type { ApiFile } from '../node/local/index.js'
import { CliError } from './errors.js'

/** How long a CLI command waits for the node before calling it unreachable. */
const CALL_TIMEOUT_MS = 30_000

/**
 * How long `pin add` waits: a pin of a large DAG the node lacks fetches block after block from
 * peers (each bounded by the node's fetch timeout), so it may rightly take minutes; Ctrl+C cancels.
 */
export const PIN_ADD_CALL_TIMEOUT_MS = 60 * 60_000

export interface NodeClient {
  url: string
  peerId: string
  call<T>(method: string, params?: unknown[], options?: { timeoutMs?: number }): Promise<T>
}

/**
 * Finds the node running on a data dir through the address it announced, and calls its JSON-RPC.
 * The node's own error messages are shown as they are: they are written for people.
 */
export function nodeClient (dataDir: string): NodeClient {
  const announced = readApiFile(dataDir)
  if (announced === undefined) throw new CliError(`No Lineage node is running with data dir ${dataDir}. Start one with \`lineage-node start\`.`)
  // The CLI runs as the node's owner, so it can read the token that write methods need.
  const token = readApiToken(dataDir)
  let id = 0
  return {
    url: announced.url,
    peerId: announced.peerId,
    async call<T> (method: string, params: unknown[] = [], options: { timeoutMs?: number } = {}): Promise<T> {
      let response: Response
      try {
        response = await fetch(`${announced.url}/rpc`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
          body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
          signal: AbortSignal.timeout(options.timeoutMs ?? CALL_TIMEOUT_MS),
        })
      } catch {
        throw new CliError(whyNoAnswer(dataDir, announced))
      }
      const body = await response.json().catch(() => undefined) as { result?: T, error?: { message: string } } | undefined
      if (body?.error !== undefined) throw new CliError(body.error.message)
      if (body === undefined || !('result' in body)) throw new CliError(`The node at ${announced.url} answered ${method} with HTTP ${response.status} and no result.`)
      return body.result as T
    },
  }
}

/**
 * What became of a node whose api file is there but who does not answer. A clean stop removes
 * the file (saying "stopping" until then), so a file whose process is gone was left by a node
 * that was killed or crashed.
 */
export function silentNodeState (announced: ApiFile): 'gone' | 'stopping' | 'unresponsive' {
  if (!processAlive(announced.pid)) return 'gone'
  return announced.state === 'stopping' ? 'stopping' : 'unresponsive'
}

/** Why the node an api file announces does not answer, in words that are true. */
export function whyNoAnswer (dataDir: string, announced: ApiFile): string {
  switch (silentNodeState(announced)) {
    case 'gone':
      return `No Lineage node is running with data dir ${dataDir}: the last one there (process ${announced.pid}) did not shut down cleanly (it was killed or crashed). Start one with \`lineage-node start\`.`
    case 'stopping':
      return `The Lineage node with data dir ${dataDir} (process ${announced.pid}) is stopping. Wait for it to finish, then start it again with \`lineage-node start\` if you need it.`
    case 'unresponsive':
      return `The Lineage node with data dir ${dataDir} (process ${announced.pid}) does not answer at ${announced.url}: it may be busy or stuck.`
  }
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
function processAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as { code?: unknown }).code === 'EPERM'
  }
}
