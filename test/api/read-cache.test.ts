// The dispatcher's read cache: a `cacheable` method's answer is served from memory only while the
// store's data version stands, keyed by method, params and whether the caller holds the token,
// and the text served is the text the method would make now.
import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../src-main/api/rpc/index.js'
import type { RpcMethod } from '../../src-main/api/rpc/index.js'
import { ReadCache } from '../../src-main/api/rpc/read-cache.js'
import { testLog } from '../helpers/logger.js'

const ctx = { transport: 'http' as const, authenticated: false }
const owner = { transport: 'http' as const, authenticated: true }
const call = (method: string, params: unknown, id: unknown = 1): string => JSON.stringify({ jsonrpc: '2.0', id, method, params })

/** A store stand-in for the version only: `rows` is what the methods read, `version` moves with each write. */
function fixture () {
  const state = { version: 1, rows: new Map<string, string>([['a', 'apple']]), reads: 0 }
  const write = (key: string, value: string): void => { state.rows.set(key, value); state.version++ }
  // Test-only methods; cast because the method map is the product's.
  const read = {
    name: 'read_row',
    description: 'reads a row',
    params: [{ name: 'key', schema: { type: 'string' } }],
    cacheable: true,
    handler: (p: Record<string, unknown>, context: { authenticated: boolean }) => {
      state.reads++
      return { key: p.key, value: state.rows.get(p.key as string) ?? null, owner: context.authenticated }
    },
  } as unknown as RpcMethod
  const slowRead = {
    name: 'slow_read',
    description: 'reads a row after a write lands in between',
    params: [{ name: 'key', schema: { type: 'string' } }],
    cacheable: true,
    handler: async (p: Record<string, unknown>) => {
      state.reads++
      const value = state.rows.get(p.key as string) ?? null
      write('b', `banana ${state.version}`)
      await Promise.resolve()
      return { value }
    },
  } as unknown as RpcMethod
  const failing = { name: 'failing_read', description: 'refuses', params: [], cacheable: true, handler: () => { state.reads++; throw new Error('no') } } as unknown as RpcMethod
  const plain = { name: 'plain_read', description: 'not cacheable', params: [], handler: () => { state.reads++; return state.reads } } as unknown as RpcMethod
  const dispatcher = createDispatcher([read, slowRead, failing, plain], testLog, { dataVersion: () => state.version, maxChars: 1 << 20 })
  // The same methods with no cache: what every answer must equal.
  const uncached = createDispatcher([read, slowRead, failing, plain], testLog)
  return { state, write, dispatcher, uncached }
}

describe('the read cache of the JSON-RPC dispatcher', () => {
  it('answers a repeated read from memory, with the caller\'s id, in the bytes the method makes', async () => {
    const { state, dispatcher } = fixture()
    const first = await dispatcher.respondText(call('read_row', ['a'], 1), ctx)
    const again = await dispatcher.respondText(call('read_row', ['a'], 'two'), ctx)
    expect(state.reads).toBe(1)
    expect(first).toBe('{"jsonrpc":"2.0","id":1,"result":{"key":"a","value":"apple","owner":false}}')
    expect(again).toBe(JSON.stringify(await dispatcher.handle({ jsonrpc: '2.0', id: 'two', method: 'read_row', params: ['a'] }, ctx)))
    expect(state.reads).toBe(2)
  })

  it('reads again once the store changed, and keys answers by the caller\'s token and the params', async () => {
    const { state, write, dispatcher } = fixture()
    await dispatcher.respondText(call('read_row', ['a']), ctx)
    write('a', 'apricot')
    expect(JSON.parse(await dispatcher.respondText(call('read_row', ['a']), ctx) ?? '')).toMatchObject({ result: { value: 'apricot' } })
    expect(state.reads).toBe(2)
    expect(JSON.parse(await dispatcher.respondText(call('read_row', ['a']), owner) ?? '')).toMatchObject({ result: { owner: true } })
    expect(JSON.parse(await dispatcher.respondText(call('read_row', { key: 'a' }), ctx) ?? '')).toMatchObject({ result: { owner: false } })
    expect(state.reads).toBe(4)
  })

  it('does not keep an answer made while the store changed, nor errors, batches, notifications or other methods', async () => {
    const { state, dispatcher } = fixture()
    await dispatcher.respondText(call('slow_read', ['a']), ctx)
    await dispatcher.respondText(call('slow_read', ['a']), ctx)
    expect(state.reads).toBe(2)
    const refusals = [await dispatcher.respondText(call('failing_read', []), ctx), await dispatcher.respondText(call('failing_read', []), ctx)]
    expect(state.reads).toBe(4)
    expect(JSON.parse(refusals[1] ?? '')).toMatchObject({ id: 1, error: { code: -32603 } })
    const batch = JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'read_row', params: ['a'] }])
    await dispatcher.respondText(batch, ctx)
    await dispatcher.respondText(batch, ctx)
    expect(state.reads).toBe(6)
    expect(await dispatcher.respondText(JSON.stringify({ jsonrpc: '2.0', method: 'read_row', params: ['a'] }), ctx)).toBeUndefined()
    expect(JSON.parse(await dispatcher.respondText(call('plain_read', []), ctx) ?? '').result).toBe(state.reads)
    expect(JSON.parse(await dispatcher.respondText(call('plain_read', []), ctx) ?? '').result).toBe(state.reads)
    expect(state.reads).toBe(9)
  })

  it('answers bad text and bad params as the uncached path does', async () => {
    const { dispatcher, uncached } = fixture()
    // Params nested deeper than JSON.stringify's stack can go (JSON.parse takes them).
    const deep = `{"jsonrpc":"2.0","id":1,"method":"read_row","params":${'['.repeat(20_000)}${']'.repeat(20_000)}}`
    for (const text of [deep, '{bad', call('read_row', [1]), call('read_row', ['a'], { no: 'id' }), JSON.stringify({ jsonrpc: '1.0', id: 1, method: 'read_row', params: ['a'] })]) {
      expect(await dispatcher.respondText(text, ctx)).toBe(await uncached.respondText(text, ctx))
    }
  })
})

describe('ReadCache', () => {
  it('holds at most its bound, dropping the oldest answers first, and no answer bigger than a sixteenth of it', () => {
    let version = 7
    const cache = new ReadCache({ dataVersion: () => version, maxChars: 1600 })
    for (let i = 0; i < 40; i++) {
      const { version: v } = cache.lookup(`k${i}`)
      cache.keep(`k${i}`, v, 'x'.repeat(97 - `k${i}`.length))
    }
    expect(cache.size).toBe(16)
    expect(cache.lookup('k23').text).toBeUndefined()
    expect(cache.lookup('k24').text).toBe('x'.repeat(94))
    cache.keep('big', version, 'y'.repeat(101))
    expect(cache.lookup('big').text).toBeUndefined()
    version++
    expect(cache.lookup('k39').text).toBeUndefined()
    expect(cache.size).toBe(0)
  })
})
