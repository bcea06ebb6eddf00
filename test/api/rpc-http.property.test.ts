/**
 * Hostile HTTP bodies at the JSON-RPC endpoint of a real node (issue 14 §7): random bytes,
 * truncated JSON, batches of every shape, odd content types and bodies past the limit.
 *
 * Properties: the status is never 5xx; a 200 carries valid JSON-RPC (one response, or one per
 * request of a batch that is not a notification, in order, with the request's id), a 204 means
 * the batch held only notifications, and any 4xx is a JSON-RPC error; every error code is one the
 * docs/API.md documents, never -32603; and since no call carries the API token or a valid signature,
 * nothing on the node changes.
 */
import net from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_BATCH_SIZE, MAX_BODY_BYTES, RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { hostileString, hostileValue, JsonObject, jsonText, obj, RawJson } from '../helpers/hostile-json.js'
import type { Json } from '../helpers/hostile-json.js'
import { nodeState } from '../helpers/node-state.js'
import { documentedErrorCodes } from '../helpers/rpc-errors.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const SEED = Number(process.env.LINEAGE_FUZZ_SEED ?? 1415)
const RUNS = Number(process.env.LINEAGE_FUZZ_RUNS ?? 300)

/** Methods a batch item may name: reads, writes that need the token, signed writes, and none at all. */
const METHODS = ['node_info', 'get_node_clock', 'pin_ls', 'registry_list', 'get_transaction', 'publish', 'publish_batch', 'registry_set', 'gc', 'keys_new', 'pin_add', 'export_car', 'no_such_method', '', 'rpc.discover', '__proto__', 'constructor']

const id: fc.Arbitrary<Json> = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), fc.double(), fc.constant(new RawJson('1e400')), hostileValue())

/** One batch item: a request, a notification, or something that is neither. */
const item: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ id: fc.option(id, { nil: undefined }), method: fc.constantFrom(...METHODS), params: fc.option(hostileValue(), { nil: undefined }), jsonrpc: fc.option(fc.constantFrom<Json>('2.0', '1.0', 2, null), { nil: undefined, freq: 8 }) }, { requiredKeys: [] })
    .map(r => new JsonObject(Object.entries(r).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v as Json]))) },
  { weight: 1, arbitrary: hostileValue(['jsonrpc', 'id', 'method', 'params']) },
)

/** Bodies: JSON-RPC texts (cut short sometimes), batches, random bytes, text that is not JSON. */
const body: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: item.map(jsonText) },
  { weight: 4, arbitrary: fc.array(item, { maxLength: 12 }).map(jsonText) },
  { weight: 1, arbitrary: fc.array(item, { minLength: MAX_BATCH_SIZE - 1, maxLength: MAX_BATCH_SIZE + 3 }).map(jsonText) },
  { weight: 2, arbitrary: fc.tuple(fc.array(item, { maxLength: 4 }), fc.nat()).map(([items, cut]) => { const text = jsonText(items); return text.slice(0, cut % (text.length + 1)) }) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '[]', '[[]]', '{}', '"x"', '\ufeff{"jsonrpc":"2.0","id":1,"method":"node_info"}', '{"jsonrpc":"2.0","id":1,"method":"node_info"}\u0000', '{"jsonrpc":"2.0","id":1,"method":"node_info"} {}') },
  // Past the body limit, with a valid start: refused before it is parsed.
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }).map(extra => `[${jsonText(obj({ jsonrpc: '2.0', id: 1, method: 'node_info', params: ['x'.repeat(MAX_BODY_BYTES + extra)] }))}]`) },
)

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 3, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=latin1', 'application/json; charset=utf-16', 'application/json; boundary=x; charset="utf-8"', 'application/jsonx', 'application/*', 'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', ';', 'application/json, text/plain') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }).filter(s => /^[\t\x20-\x7e]*$/.test(s)) },
)

const request = fc.record({
  body,
  contentType: fc.option(contentType, { nil: undefined, freq: 12 }),
  path: fc.constantFrom('/rpc', '/rpc', '/rpc', '/api/v0/json-rpc', '/rpc?x=1', '/rpc/', '//rpc'),
  method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'PUT', 'GET', 'OPTIONS', 'DELETE', 'PATCH'),
  authorization: fc.option(fc.constantFrom(`Bearer ${'f'.repeat(64)}`, 'Bearer', 'Basic Zm9vOmJhcg==', 'Bearer \u00ff', ''), { nil: undefined, freq: 4 }),
  encoding: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x'), { nil: undefined, freq: 10 }),
})

interface ErrorObject { code?: unknown, message?: unknown }
interface Response { jsonrpc?: unknown, id?: unknown, result?: unknown, error?: ErrorObject }

/** Whether a batch item is a notification (a valid request without id), which gets no answer. */
function isNotification (value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const r = value as Record<string, unknown>
  return !Object.hasOwn(r, 'id') && r.jsonrpc === '2.0' && typeof r.method === 'string' && r.method !== '' && (r.params === undefined || (typeof r.params === 'object' && r.params !== null))
}

describe('the JSON-RPC endpoint under hostile HTTP bodies', () => {
  let running: TestNode
  const documented = documentedErrorCodes()
  beforeAll(async () => { running = await startTestNode({ offline: true }) })
  afterAll(async () => { await running.stop() })

  function checkResponse (response: Response, expectedId?: unknown): void {
    expect(response.jsonrpc).toBe('2.0')
    expect(Object.hasOwn(response, 'result') !== Object.hasOwn(response, 'error')).toBe(true)
    // As JSON: an id sent as -0 comes back as 0, the same JSON number.
    if (expectedId !== undefined) expect(JSON.stringify(response.id)).toBe(JSON.stringify(expectedId))
    if (response.error !== undefined) {
      expect(response.error.code).not.toBe(RPC_ERROR_CODES.InternalError)
      expect(documented.has(response.error.code as number), `undocumented code ${String(response.error.code)}`).toBe(true)
      expect(typeof response.error.message).toBe('string')
    }
  }

  it('never answers 5xx, answers valid JSON-RPC, and changes nothing', { timeout: 600_000 }, async () => {
    const before = await nodeState(running.node)
    await fc.assert(fc.asyncProperty(request, async r => {
      const headers: Record<string, string> = {}
      if (r.contentType !== undefined) headers['content-type'] = r.contentType
      if (r.authorization !== undefined) headers.authorization = r.authorization
      if (r.encoding !== undefined) headers['content-encoding'] = r.encoding
      const bodyless = r.method === 'GET' || r.method === 'OPTIONS'
      const bodyText = typeof r.body === 'string' ? r.body : new TextDecoder().decode(r.body)
      const response = await fetch(running.base + r.path, { method: r.method, headers, ...(bodyless ? {} : { body: r.body }) })
      const text = await response.text()
      const context = `${r.method} ${r.path} (${String(r.contentType)}): ${response.status} ${text.slice(0, 300)}`
      expect(response.status, context).toBeLessThan(500)
      const isRpc = r.method === 'POST' && ['/rpc', '/api/v0/json-rpc', '/rpc?x=1'].includes(r.path)
      if (!isRpc) return
      if (response.status === 204) {
        expect(text).toBe('')
        const parsed = JSON.parse(bodyText) as unknown
        expect(Array.isArray(parsed) ? parsed.every(isNotification) : isNotification(parsed), context).toBe(true)
        return
      }
      const answer = JSON.parse(text) as Response | Response[]
      if (response.status !== 200) {
        // Refused before parsing (too large, wrong type): still a JSON-RPC error, with no id to echo.
        expect([400, 413, 415], context).toContain(response.status)
        checkResponse(answer as Response, null)
        return
      }
      let sent: unknown
      try {
        sent = JSON.parse(bodyText)
      } catch {
        expect(answer, context).toMatchObject({ id: null, error: { code: RPC_ERROR_CODES.ParseError } })
        return
      }
      if (!Array.isArray(sent) || sent.length === 0 || sent.length > MAX_BATCH_SIZE) {
        expect(Array.isArray(answer), context).toBe(false)
        checkResponse(answer as Response)
        if (Array.isArray(sent)) expect((answer as Response).error?.code, context).toBe(RPC_ERROR_CODES.InvalidRequest)
        return
      }
      // A batch: one answer per request that is not a notification, in order.
      const answered = sent.filter(x => !isNotification(x))
      expect(Array.isArray(answer), context).toBe(true)
      expect((answer as Response[]).length, context).toBe(answered.length)
      for (const [i, one] of (answer as Response[]).entries()) {
        const x = answered[i] as Record<string, unknown> | undefined
        const validId = typeof x === 'object' && x !== null && (x.id === null || typeof x.id === 'string' || (typeof x.id === 'number' && Number.isFinite(x.id)))
        checkResponse(one, validId ? x.id : null)
      }
    }), { seed: SEED, numRuns: RUNS })
    expect(await nodeState(running.node), 'no call carried the token or a valid signature').toEqual(before)
  })

  it('answers malformed HTTP framing (lengths, chunking, both at once) with 4xx or a closed connection, and keeps serving', { timeout: 600_000 }, async () => {
    const { port } = new URL(running.base)
    const payload = '{"jsonrpc":"2.0","id":1,"method":"node_info"}'
    const framing = fc.record({
      length: fc.oneof(fc.constant(undefined), fc.nat({ max: 200 }).map(String), fc.constantFrom('-1', 'abc', '1e3', ' 10', '0x10', '99999999999999999999', `${MAX_BODY_BYTES + 1}`, '10, 20')),
      secondLength: fc.option(fc.nat({ max: 200 }).map(String), { nil: undefined, freq: 4 }),
      chunked: fc.constantFrom<'none' | 'valid' | 'bad size' | 'no end' | 'te twice'>('none', 'valid', 'bad size', 'no end', 'te twice'),
      body: fc.oneof(fc.constant(payload), fc.string({ maxLength: 80 })),
      cut: fc.option(fc.nat(), { nil: undefined, freq: 3 }),
    })
    const seen = new Set<string>()
    await fc.assert(fc.asyncProperty(framing, async f => {
      const chunk = (text: string): string => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`
      const body = f.chunked === 'valid' || f.chunked === 'te twice' ? `${chunk(f.body)}0\r\n\r\n` : f.chunked === 'bad size' ? `zz\r\n${f.body}\r\n0\r\n\r\n` : f.chunked === 'no end' ? chunk(f.body) : f.body
      const head = [
        'POST /rpc HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', 'Connection: close',
        ...(f.length === undefined ? [] : [`Content-Length: ${f.length}`]),
        ...(f.secondLength === undefined ? [] : [`Content-Length: ${f.secondLength}`]),
        ...(f.chunked === 'none' ? [] : ['Transfer-Encoding: chunked']),
        ...(f.chunked === 'te twice' ? ['Transfer-Encoding: identity'] : []),
      ].join('\r\n')
      const raw = `${head}\r\n\r\n${body}`
      const sent = f.cut === undefined ? raw : raw.slice(0, f.cut % (raw.length + 1))
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1')
        let received = ''
        socket.setEncoding('latin1')
        socket.on('data', (data: string) => { received += data })
        socket.on('error', () => { resolve(received) })
        socket.on('close', () => { resolve(received) })
        // A request the server still waits on (a body shorter than its length) ends when we close our side.
        socket.setTimeout(3000, () => { socket.destroy() })
        socket.end(sent)
      })
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]
      if (status !== undefined) expect(Number(status), answer.slice(0, 300)).toBeLessThan(500)
      seen.add(status ?? 'closed')
    }), { seed: SEED, numRuns: Math.min(RUNS, 150) })
    // The framings did reach the server both ways: some were answered, some refused.
    expect([...seen]).toEqual(expect.arrayContaining(['200', '400']))
    const { json } = { json: await (await fetch(`${running.base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"get_node_clock"}' })).json() as Response }
    expect(json).toMatchObject({ result: expect.any(Number) })
  })
})
