import type { Logger } from '@libp2p/logger'
import { RPC_ERROR_CODES, RpcError, toRpcError } from '../errors.js'
import type { JsonRpcErrorObject } from '../rpc-types.js'
import { MAX_BATCH_SIZE, MAX_READ_KEY_CHARS } from '../constants.js'
import { printable } from '../http-text.js'
import { namedPaths } from '../public-text.js'
import { compileMethod } from './method.js'
import { ReadCache } from './read-cache.js'
import type { ReadCacheInit } from './read-cache.js'
import type { CompiledMethod, RpcContext, RpcMethod } from './method.js'

type Id = string | number | null

export type JsonRpcResponse =
  | { jsonrpc: '2.0', id: Id, result: unknown }
  | { jsonrpc: '2.0', id: Id, error: JsonRpcErrorObject }

export interface Dispatcher {
  /**
   * Handles raw text (HTTP body, WebSocket message), answering with the JSON text to send
   * (undefined: nothing, HTTP 204); parse errors become -32700. A single call of a `cacheable` method is answered from the read cache
   * while the store is unchanged.
   */
  respondText(text: string, context: RpcContext): Promise<string | undefined>
  /** Handles an already-parsed message (Electron IPC). Undefined means "nothing to send". */
  handle(message: unknown, context: RpcContext): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined>
  readonly methodNames: readonly string[]
  /** Every method as declared: name, parameter schemas and whether it needs the API token. */
  readonly methods: readonly RpcMethodInfo[]
}

/** What a client (or a test enumerating the API) can know of a method without calling it. */
export type RpcMethodInfo = Pick<RpcMethod, 'name' | 'description' | 'params' | 'requiresToken'>

const errorResponse = (id: Id, err: RpcError): JsonRpcResponse => ({
  jsonrpc: '2.0',
  id,
  error: err.data === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, data: err.data },
})

const invalidRequest = (id: Id, why: string): JsonRpcResponse =>
  errorResponse(id, new RpcError(RPC_ERROR_CODES.InvalidRequest, `Invalid request: ${why}`))

/** The one refusal of a private method called without the token (docs/SECURITY.md quotes it). */
export const unauthorized = (method: string): string =>
  `${method} changes the node, reads what only its owner may see or runs its contracts, so it needs the node's API token (HTTP: Authorization: Bearer <token>; WebSocket: offer the subprotocols lineage.jsonrpc and lineage.token.<token>). The token is in the file api-token in the node's data dir.`

const isId = (v: unknown): v is Id => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))

/** A response as JSON text, with a result already in JSON text (the same bytes JSON.stringify makes). */
const withResult = (id: Id, result: string): string => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}`

/**
 * What a read is cached under: the caller's token (reveal on mint decides what it may read), the
 * method and its params as JSON. Undefined for params too long or too deep to be a read's (they
 * take the uncached path, which refuses them in its words).
 */
function cacheKey (method: string, params: unknown, context: RpcContext): string | undefined {
  let text: string
  try {
    text = JSON.stringify(params ?? null)
  } catch {
    // Nesting deeper than the stack: JSON.parse takes it, JSON.stringify does not.
    return undefined
  }
  return text.length > MAX_READ_KEY_CHARS ? undefined : `${context.authenticated ? 'a' : 'p'}${method}\n${text}`
}

/** `readCache`: the store's data version and a bound, to answer cacheable reads from memory. */
export function createDispatcher (methods: readonly RpcMethod[], log: Logger, readCache?: ReadCacheInit): Dispatcher {
  const cache = readCache === undefined ? undefined : new ReadCache(readCache)
  const table = new Map<string, CompiledMethod>()
  for (const method of methods) {
    if (table.has(method.name)) throw new Error(`RPC method ${method.name} is defined twice`)
    table.set(method.name, compileMethod(method))
  }

  async function handleOne (message: unknown, context: RpcContext): Promise<JsonRpcResponse | undefined> {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return invalidRequest(null, 'expected a JSON-RPC request object')
    }
    const request = message as Record<string, unknown>
    const hasId = Object.hasOwn(request, 'id')
    const id: Id = hasId && isId(request.id) ? request.id : null
    if (hasId && !isId(request.id)) return invalidRequest(null, '"id" must be a string, a number or null')
    if (request.jsonrpc !== '2.0') return invalidRequest(id, '"jsonrpc" must be exactly "2.0"')
    if (typeof request.method !== 'string' || request.method === '') return invalidRequest(id, '"method" must be a non-empty string')
    if (request.params !== undefined && (typeof request.params !== 'object' || request.params === null)) {
      return invalidRequest(id, '"params" must be an array or an object')
    }

    const compiled = table.get(request.method)
    let response: JsonRpcResponse
    if (compiled === undefined) {
      response = errorResponse(id, new RpcError(RPC_ERROR_CODES.MethodNotFound, `Method not found: ${request.method}`))
    } else {
      try {
        if (compiled.method.requiresToken === true && !context.authenticated) {
          throw new RpcError(RPC_ERROR_CODES.Unauthorized, unauthorized(request.method))
        }
        const params = compiled.bind(request.params)
        const result = await compiled.method.handler(params, context)
        response = { jsonrpc: '2.0', id, result: result ?? null }
      } catch (err) {
        // Paths the request named may come back in the message; any other path, frame or library detail goes to the log only.
        const rpcError = toRpcError(err, namedPaths(request.params))
        if (rpcError.code === RPC_ERROR_CODES.InternalError) log.error('%s failed: %e', request.method, err)
        else if (rpcError.message !== (err as Error).message || (err as Error).cause !== undefined) {
          // What the client did not get: the full message, and the lower layer's words (marine-js's, say) when kept as the cause.
          const cause = (err as Error).cause
          log('%s refused: %s%s', request.method, printable(String((err as Error).message)), cause === undefined ? '' : ` (cause: ${printable(cause instanceof Error ? cause.message : String(cause))})`)
        }
        response = errorResponse(id, rpcError)
      }
    }
    // A notification (no id) gets no answer, even an error one (JSON-RPC 2.0, section 4.1).
    return hasId ? response : undefined
  }

  async function handle (message: unknown, context: RpcContext): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
    if (!Array.isArray(message)) return handleOne(message, context)
    if (message.length === 0) return invalidRequest(null, 'a batch must contain at least one request')
    if (message.length > MAX_BATCH_SIZE) return invalidRequest(null, `a batch may contain at most ${MAX_BATCH_SIZE} requests, got ${message.length}`)
    // In order, not in parallel: a batch of writes must apply in the order the client gave.
    const responses: JsonRpcResponse[] = []
    for (const item of message) {
      const response = await handleOne(item, context)
      if (response !== undefined) responses.push(response)
    }
    return responses.length === 0 ? undefined : responses
  }

  function parse (text: string): { message: unknown } | { error: JsonRpcResponse } {
    try {
      return { message: JSON.parse(text) }
    } catch (err) {
      return { error: errorResponse(null, new RpcError(RPC_ERROR_CODES.ParseError, `Parse error: the request is not valid JSON (${(err as Error).message})`)) }
    }
  }

  /** A single call of a cacheable method, answered from the cache or kept in it; undefined: not one. */
  async function cachedRead (message: unknown, context: RpcContext): Promise<string | undefined> {
    if (cache === undefined || typeof message !== 'object' || message === null || Array.isArray(message)) return undefined
    const request = message as Record<string, unknown>
    if (request.jsonrpc !== '2.0' || typeof request.method !== 'string' || !Object.hasOwn(request, 'id') || !isId(request.id)) return undefined
    if (table.get(request.method)?.method.cacheable !== true) return undefined
    if (request.params !== undefined && (typeof request.params !== 'object' || request.params === null)) return undefined
    const key = cacheKey(request.method, request.params, context)
    if (key === undefined) return undefined
    const { text, version } = cache.lookup(key)
    if (text !== undefined) return withResult(request.id, text)
    const response = await handleOne(message, context)
    if (response === undefined) return undefined
    if (!('result' in response)) return JSON.stringify(response)
    const result = JSON.stringify(response.result)
    cache.keep(key, version, result)
    return withResult(response.id, result)
  }

  return {
    methodNames: [...table.keys()],
    methods: methods.map(({ name, description, params, requiresToken }) => ({ name, description, params, requiresToken: requiresToken === true })),
    handle,
    async respondText (text, context) {
      const parsed = parse(text)
      if ('error' in parsed) return JSON.stringify(parsed.error)
      const cached = await cachedRead(parsed.message, context)
      if (cached !== undefined) return cached
      const response = await handle(parsed.message, context)
      return response === undefined ? undefined : JSON.stringify(response)
    },
  }
}
