import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../src-main/api/rpc/index.js'
import type { RpcMethod } from '../../src-main/api/rpc/index.js'
import { MAX_BATCH_SIZE, RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { StoreLockedError } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'

// Test-only methods exercising the parameter machinery; cast because the method map is the product's.
const echo = {
  name: 'echo',
  description: 'returns its params',
  params: [
    { name: 'text', schema: { type: 'string', maxLength: 10 } },
    { name: 'count', schema: { type: 'integer', minimum: 0 }, optional: true },
  ],
  handler: (params: Record<string, unknown>) => params,
} as unknown as RpcMethod
const explode = { name: 'explode', description: 'throws a bug', params: [], handler: () => { throw new TypeError('secret internals') } } as unknown as RpcMethod
const guarded = { name: 'guarded', description: 'a write method', params: [], requiresToken: true, handler: () => 'changed' } as unknown as RpcMethod
const locked = { name: 'locked', description: 'throws a domain error', params: [], handler: () => { throw new StoreLockedError('/x/lineage.sqlite') } } as unknown as RpcMethod

const dispatcher = createDispatcher([echo, explode, locked, guarded], testLog)
const ctx = { transport: 'http' as const, authenticated: false }
const req = (method: string, params?: unknown, id: unknown = 1): Record<string, unknown> => ({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })

describe('JSON-RPC dispatcher', () => {
  it('accepts positional and named params and returns the result with the same id', async () => {
    expect(await dispatcher.handle(req('echo', ['hi', 2], 'a'), ctx)).toEqual({ jsonrpc: '2.0', id: 'a', result: { text: 'hi', count: 2 } })
    expect(await dispatcher.handle(req('echo', { text: 'hi' }, 7), ctx)).toEqual({ jsonrpc: '2.0', id: 7, result: { text: 'hi' } })
  })

  it('names the offending parameter', async () => {
    expect(await dispatcher.handle(req('echo', [42]), ctx)).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'Invalid params: text must be string', data: { field: 'text', keyword: 'type' } } })
    // The rule broken and its bound travel in data, so a client can say it in its own words.
    expect(await dispatcher.handle(req('echo', { text: 'x'.repeat(11) }), ctx)).toMatchObject({ error: { code: -32602, message: 'Invalid params: text must NOT have more than 10 characters', data: { field: 'text', keyword: 'maxLength', limit: 10 } } })
    expect(await dispatcher.handle(req('echo', {}), ctx)).toMatchObject({ error: { code: -32602, message: 'Invalid params: text is required', data: { field: 'text', keyword: 'required' } } })
    expect(await dispatcher.handle(req('echo', { text: 'a', color: 'red' }), ctx)).toMatchObject({ error: { code: -32602, data: { field: 'color' } } })
    expect(await dispatcher.handle(req('echo', ['a', 1, 'extra']), ctx)).toMatchObject({ error: { code: -32602, message: 'Invalid params: echo takes at most 2 parameters (text, count), got 3' } })
  })

  it('answers parse errors, invalid requests and unknown methods with the standard codes', async () => {
    expect(JSON.parse(await dispatcher.respondText('{"jsonrpc": "2.0", "method": "echo", "params": ["x"', ctx) ?? 'null')).toMatchObject({ id: null, error: { code: RPC_ERROR_CODES.ParseError } })
    expect(await dispatcher.handle(null, ctx)).toMatchObject({ id: null, error: { code: -32600 } })
    expect(await dispatcher.handle(5, ctx)).toMatchObject({ id: null, error: { code: -32600 } })
    expect(await dispatcher.handle({ jsonrpc: '1.0', id: 3, method: 'echo' }, ctx)).toMatchObject({ id: 3, error: { code: -32600, message: 'Invalid request: "jsonrpc" must be exactly "2.0"' } })
    expect(await dispatcher.handle({ jsonrpc: '2.0', id: 3, method: 12 }, ctx)).toMatchObject({ id: 3, error: { code: -32600 } })
    expect(await dispatcher.handle({ jsonrpc: '2.0', id: { x: 1 }, method: 'echo' }, ctx)).toMatchObject({ id: null, error: { code: -32600 } })
    expect(await dispatcher.handle({ jsonrpc: '2.0', id: 3, method: 'echo', params: 'text' }, ctx)).toMatchObject({ id: 3, error: { code: -32600 } })
    expect(await dispatcher.handle(req('nope'), ctx)).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found: nope' } })
  })

  it('hides internal errors but passes domain errors through with their own code', async () => {
    const internal = await dispatcher.handle(req('explode'), ctx)
    expect(internal).toMatchObject({ error: { code: -32603 } })
    expect(JSON.stringify(internal)).not.toContain('secret internals')
    expect(await dispatcher.handle(req('locked'), ctx)).toMatchObject({ error: { code: RPC_ERROR_CODES.StoreLockedError, message: expect.stringContaining('already running'), data: { name: 'StoreLockedError' } } })
  })

  it('runs batches in order, answers each request, and stays silent for notifications', async () => {
    const batch = [req('echo', ['a'], 1), { jsonrpc: '2.0', method: 'echo', params: ['note'] }, 'junk', req('nope', undefined, 2)]
    expect(await dispatcher.handle(batch, ctx)).toEqual([
      { jsonrpc: '2.0', id: 1, result: { text: 'a' } },
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request: expected a JSON-RPC request object' } },
      { jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'Method not found: nope' } },
    ])
    expect(await dispatcher.handle({ jsonrpc: '2.0', method: 'echo', params: ['x'] }, ctx)).toBeUndefined()
    expect(await dispatcher.handle([{ jsonrpc: '2.0', method: 'echo', params: ['x'] }], ctx)).toBeUndefined()
  })

  it('runs write methods only for callers holding the API token, and says where the token is', async () => {
    expect(await dispatcher.handle(req('guarded'), ctx)).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized, message: expect.stringContaining('api-token') } })
    expect(await dispatcher.handle(req('guarded'), { transport: 'http', authenticated: true })).toEqual({ jsonrpc: '2.0', id: 1, result: 'changed' })
    expect(await dispatcher.handle(req('echo', ['anyone']), ctx)).toMatchObject({ result: { text: 'anyone' } })
  })

  it('refuses empty and oversized batches whole', async () => {
    expect(await dispatcher.handle([], ctx)).toMatchObject({ id: null, error: { code: -32600, message: 'Invalid request: a batch must contain at least one request' } })
    const big = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => req('echo', ['a'], i))
    expect(await dispatcher.handle(big, ctx)).toMatchObject({ id: null, error: { code: -32600 } })
  })
})
