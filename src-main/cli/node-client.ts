import { readApiFile, readApiToken } from '../node/index.js'
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
        // The api file outlives a node killed without warning; nothing answering means not running.
        throw new CliError(`No Lineage node is running with data dir ${dataDir} (nothing answers at ${announced.url}; the last node there did not shut down cleanly).`)
      }
      const body = await response.json().catch(() => undefined) as { result?: T, error?: { message: string } } | undefined
      if (body?.error !== undefined) throw new CliError(body.error.message)
      if (body === undefined || !('result' in body)) throw new CliError(`The node at ${announced.url} answered ${method} with HTTP ${response.status} and no result.`)
      return body.result as T
    },
  }
}
