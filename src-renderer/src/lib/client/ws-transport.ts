import type { RpcMethodName, RpcMethods } from '../../../../src-main/api/rpc-types.js'
import { NodeUnreachableError } from './errors.js'
import type { NodeNotification, UiClient } from './types.js'
import { unwrap } from './response.js'
import type { JsonRpcReply, JsonRpcRequest } from './response.js'

/** A call with no answer by then fails instead of hanging the UI. */
const CALL_TIMEOUT_MS = 30_000

interface Pending {
  resolve(value: unknown): void
  reject(err: Error): void
  timer: ReturnType<typeof setTimeout>
}

/**
 * The client over the node's WebSocket JSON-RPC (`/rpc/ws`), used when the UI is opened in a
 * browser. A call made while disconnected opens a new connection; if that fails the call fails
 * at once, so the UI can say so (its state classes poll and so retry). Notifications (messages
 * without an id) go to every listener while a connection is open. `protocols` carry the API
 * token (see createClient), so it never appears in an address.
 */
export function createWebSocketClient (url: string, protocols: string[] = []): UiClient {
  let socket: WebSocket | undefined
  let open: Promise<WebSocket> | undefined
  let closed = false
  let nextId = 1
  const pending = new Map<number, Pending>()
  const listeners = new Set<(notification: NodeNotification) => void>()
  const lostListeners = new Set<() => void>()

  function connect (): Promise<WebSocket> {
    if (open !== undefined) return open
    const attempt: Promise<WebSocket> = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, protocols)
      ws.onopen = () => {
        socket = ws
        resolve(ws)
      }
      ws.onmessage = event => { receive(String(event.data)) }
      // Browsers fire error then close on a failed connection; Node's WebSocket fires only error.
      const lost = (reason: string): void => {
        // An open connection that closes: the node stopped or the network went; say so now, not at the next poll.
        if (socket === ws && !closed) for (const listener of lostListeners) listener()
        if (socket === ws) socket = undefined
        if (open === attempt) open = undefined
        for (const [id, call] of pending) {
          clearTimeout(call.timer)
          call.reject(new NodeUnreachableError(reason))
          pending.delete(id)
        }
        reject(new NodeUnreachableError(reason))
      }
      ws.onerror = () => { lost(`no answer at ${url}`) }
      ws.onclose = () => { lost('the connection closed') }
    })
    open = attempt
    return attempt
  }

  function receive (text: string): void {
    let reply: JsonRpcReply
    try {
      reply = JSON.parse(text) as JsonRpcReply
    } catch {
      return
    }
    if (reply.id === undefined && typeof (reply as { method?: unknown }).method === 'string') {
      for (const listener of listeners) listener(reply as unknown as NodeNotification)
      return
    }
    if (typeof reply.id !== 'number') return
    const call = pending.get(reply.id)
    if (call === undefined) return
    pending.delete(reply.id)
    clearTimeout(call.timer)
    try {
      call.resolve(unwrap(reply))
    } catch (err) {
      call.reject(err as Error)
    }
  }

  return {
    mode: 'browser',
    async call<M extends RpcMethodName>(method: M, ...params: RpcMethods[M]['params']): Promise<RpcMethods[M]['result']> {
      if (closed) throw new NodeUnreachableError('the client was closed')
      const ws = socket ?? await connect()
      const request: JsonRpcRequest = { jsonrpc: '2.0', id: nextId++, method, params }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(request.id)
          reject(new NodeUnreachableError(`${method} got no answer within ${CALL_TIMEOUT_MS / 1000} s`))
        }, CALL_TIMEOUT_MS)
        pending.set(request.id, { resolve: value => { resolve(value as RpcMethods[M]['result']) }, reject, timer })
        ws.send(JSON.stringify(request))
      })
    },
    onNotification (listener) {
      listeners.add(listener)
      // Notifications flow once a socket is open: open one now if no call has yet.
      if (socket === undefined && !closed) void connect().catch(() => {})
      return () => { listeners.delete(listener) }
    },
    onDisconnect (listener) {
      lostListeners.add(listener)
      return () => { lostListeners.delete(listener) }
    },
    close () {
      closed = true
      listeners.clear()
      lostListeners.clear()
      socket?.close()
    },
  }
}
