import * as dagCbor from '@ipld/dag-cbor'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseTokenId } from '../../src-main/api/gateway/index.js'
import { printable } from '../../src-main/api/http-text.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { recordingTestLogger } from '../helpers/logger.js'
import type { LoggedLine } from '../helpers/logger.js'
import { eachLimited, exchange, parseResponse } from '../helpers/raw-http.js'
import type { RawResponse } from '../helpers/raw-http.js'
import { callRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

/**
 * Every route a client reaches, sent generated and hostile requests over raw sockets: whatever
 * comes in, the answer is well-formed HTTP below 500, its headers hold only legal characters,
 * a refusal is JSON naming what was wrong, and the node's state and log are untouched.
 */

const SEED = 20_261_206
const CHAIN = '1'
const ADDRESS = '0x5180db8f5c931aae63c74266b211f580155ecac8'
const MAX_UINT256 = (1n << 256n) - 1n
/** Token ids the node holds, the largest uint256 among them. */
const HELD = [0n, 42n, 10n ** 30n, MAX_UINT256]
/** A field name no header could hold as it is. */
const ODD_FIELD = 'a b?"c"\r\n€\u0000'
const NODE_INFO = '{"jsonrpc":"2.0","id":1,"method":"node_info"}'
const RPC_PATHS = ['/rpc', '/api/v0/json-rpc']
const UPGRADE: Array<[string, string]> = [['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ['Sec-WebSocket-Version', '13'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==']]
/** Raw requests in flight at once (the machine is shared). */
const PARALLEL = 6

const hex64 = (id: bigint): string => id.toString(16).padStart(64, '0')
/** Every UTF-8 byte as %XX: no character can route the request elsewhere. */
const encodeAll = (text: string): string => Array.from(new TextEncoder().encode(text), b => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('')
const CONTROL = /[\p{Cc}\u2028\u2029]/u

interface Request {
  method: string
  target: string
  headers?: Array<[string, string]>
  body?: string
}

function wire ({ method, target, headers = [], body }: Request): Buffer {
  const hasHost = headers.some(([name]) => name.toLowerCase() === 'host')
  let head = `${method} ${target} HTTP/1.1\r\n${hasHost ? '' : 'Host: 127.0.0.1\r\n'}`
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`
  if (body !== undefined) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n`
  return Buffer.from(`${head}Connection: close\r\n\r\n${body ?? ''}`, 'latin1')
}

describe('hostile requests against every route of a real node', () => {
  let running: TestNode
  let node: LineageNode
  let base: string
  let port: number
  let tokenKey: string
  let head: string
  let lines: LoggedLine[]
  let before: string
  const documents = new Map<string, { status: number, etag: string | null, body: string }>()
  const writer = evmSigner()

  async function publish (fields: Record<string, string>): Promise<string[]> {
    const request = await writer.sign({ method: 'metadata', chain_id: CHAIN, token_address: ADDRESS, token_id: '', meta_contract_id: 'open', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
    const { hash } = node.lineage.publish(request)
    await node.lineage.settled()
    const receipt = node.lineage.receipt(hash)
    if (receipt?.status !== 'applied') throw new Error(`not applied: ${receipt?.reason ?? 'no receipt'}`)
    return receipt.heads
  }

  /** What a client can see of the node's state: each held token's document and ETag, by every route, and the counts. */
  async function readState (): Promise<string> {
    const seen: Record<string, unknown> = {}
    for (const id of HELD) {
      for (const path of [`/metadata/${CHAIN}/${ADDRESS}/${id}`, `/ta/${CHAIN}/${ADDRESS}/${hex64(id)}`, `/tk/${tokenKey}/${id}`]) {
        const response = await fetch(base + path)
        seen[path] = { status: response.status, etag: response.headers.get('etag'), body: await response.text() }
      }
    }
    const { result } = await callRpc(`${base}/rpc`, 'node_info', undefined, readApiToken(running.node.config.dataDir)) as { result: { stats: Record<string, number> } }
    // The file's size moves with SQLite's own housekeeping; the counts are the state.
    seen.counts = Object.fromEntries(Object.entries(result.stats).filter(([key]) => key !== 'database_bytes'))
    return JSON.stringify(seen)
  }

  /** Sends one request and checks what must hold of every answer; returns the parsed answer. */
  async function send (request: Request): Promise<RawResponse> {
    const what = `${request.method} ${JSON.stringify(request.target)} ${JSON.stringify(request.headers ?? [])}`
    let response: RawResponse
    try {
      response = parseResponse(await exchange(port, wire(request)), request.method)
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}`, { cause: err })
    }
    expect(response.status, what).toBeLessThan(500)
    if (response.status >= 400 && request.method !== 'HEAD') {
      const type = response.headers.find(([name]) => name === 'content-type')?.[1] ?? ''
      expect(type, what).toMatch(/^application\/json/)
      const json = JSON.parse(response.body.toString('utf8')) as { error?: unknown }
      // JSON-RPC endpoints answer a bad body or type in JSON-RPC's own shape.
      const isRpc = request.method === 'POST' && RPC_PATHS.includes(request.target.split('?')[0] ?? '')
      const message = typeof json.error === 'object' && json.error !== null && isRpc ? (json.error as { message?: unknown }).message : json.error
      expect(typeof message, `${what}: ${response.body.toString('utf8')}`).toBe('string')
      expect((message as string).length, what).toBeGreaterThan(10)
    }
    return response
  }

  const errorOf = (response: RawResponse): string => (JSON.parse(response.body.toString('utf8')) as { error: string }).error

  beforeAll(async () => {
    const recorder = recordingTestLogger()
    lines = recorder.lines
    running = await startTestNode({}, { logger: recorder.logger })
    node = running.node
    base = running.base
    port = Number(new URL(base).port)
    await publish({ method: 'contract', data: '{}' })
    for (const id of HELD) {
      const heads = await publish({ token_id: id.toString(), data: JSON.stringify({ name: `Token ${id}`, image: 'https://example.org/{id}.png', [ODD_FIELD]: 'odd' }) })
      if (id === 42n) head = heads[0] ?? ''
    }
    tokenKey = node.lineage.tokenKey(CHAIN, ADDRESS)
    // A block whose bytes match its CID but are not the dag-cbor the CID claims.
    const junk = new TextEncoder().encode('not dag-cbor \u00ff')
    createBlockstore(node.store, { transactionRows: ledgerReads }).putSync(CID.createV1(dagCbor.code, await sha256.digest(junk)), junk)
    before = await readState()
    for (const id of HELD) {
      const response = await fetch(`${base}/metadata/${CHAIN}/${ADDRESS}/${id}`)
      documents.set(id.toString(), { status: response.status, etag: response.headers.get('etag'), body: await response.text() })
    }
  }, 120_000)
  afterAll(async () => { await running?.stop() })

  it('holds the tokens the properties read', () => {
    expect([...documents.values()].map(d => d.status)).toEqual([200, 200, 200, 200])
    expect(JSON.parse(documents.get(MAX_UINT256.toString())?.body ?? '{}')).toMatchObject({ name: `Token ${MAX_UINT256}`, image: `https://example.org/${hex64(MAX_UINT256)}.png`, [ODD_FIELD]: 'odd' })
  })

  it('answers every byte 0x00-0xFF, raw and percent-encoded, under every route prefix', async () => {
    const templates: Array<{ method: string, target: (x: string) => string, body?: string }> = [
      { method: 'GET', target: x => `/metadata/${CHAIN}/${ADDRESS}/4${x}2` },
      { method: 'GET', target: x => `/metadata/${x}/${ADDRESS}/42` },
      { method: 'GET', target: x => `/ta/${CHAIN}/0x${x}/42` },
      { method: 'GET', target: x => `/tk/${tokenKey}/${x}` },
      { method: 'GET', target: x => `/tk/${x}/42` },
      { method: 'GET', target: x => `/ipfs/${head}/content/${x}` },
      { method: 'GET', target: x => `/ipfs/${x}` },
      { method: 'GET', target: x => `/ipfs/${head}?format=${x}` },
      { method: 'POST', target: x => `/rpc?x=${x}`, body: NODE_INFO },
      { method: 'POST', target: x => `/api/v0/json-rpc${x}`, body: NODE_INFO },
      { method: 'GET', target: x => `/rpc/ws?token=${x}` },
      { method: 'GET', target: x => `/app/${x}` },
      { method: 'GET', target: x => `/app/assets/${x}.js` },
      { method: 'GET', target: x => `/${x}` },
      { method: 'GET', target: x => `/unknown/${x}` },
    ]
    const requests: Request[] = []
    for (const template of templates) {
      for (let byte = 0; byte <= 0xff; byte++) {
        const encoded = `%${byte.toString(16).padStart(2, '0')}`
        for (const x of [`a${String.fromCharCode(byte)}b`, `a${encoded}b`, `a${encoded.toUpperCase()}b`]) {
          requests.push({ method: template.method, target: template.target(x), body: template.body })
        }
      }
    }
    const statuses = new Map<number, number>()
    await eachLimited(requests, PARALLEL, async request => {
      const { status } = await send(request)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    })
    // The routes did answer (not one blanket refusal): successes, 404s and 400s alike.
    expect(statuses.get(200)).toBeGreaterThan(0)
    expect(statuses.get(404)).toBeGreaterThan(0)
    expect(statuses.get(400)).toBeGreaterThan(0)
    expect(await readState()).toBe(before)
  }, 600_000)

  it('answers generated paths, queries, methods and header values under every prefix', async () => {
    const byte = fc.integer({ min: 0, max: 0xff })
    const segment = fc.oneof(
      fc.constantFrom('', '.', '..', '%', '%zz', '%c3', '%e2%82', '%00', '%2f', '%2e%2e', '%ed%a0%80', '__proto__', 'constructor', 'length', 'previous', 'content', 'name', '42', hex64(42n), '9'.repeat(79), '9'.repeat(300), head, tokenKey, ADDRESS, CHAIN, encodeAll(ODD_FIELD)),
      fc.array(byte, { maxLength: 12 }).map(bytes => bytes.map(b => `%${b.toString(16).padStart(2, '0')}`).join('')),
      fc.array(byte, { maxLength: 6 }).map(bytes => String.fromCharCode(...bytes)),
      fc.string({ unit: 'binary', maxLength: 8 }).map(encodeAll),
      fc.bigInt({ min: 0n, max: MAX_UINT256 * 4n }).map(String),
    )
    const prefix = fc.constantFrom('/metadata/', `/metadata/${CHAIN}/${ADDRESS}/`, '/ta/', `/ta/${CHAIN}/`, '/tk/', `/tk/${tokenKey}/`, '/ipfs/', `/ipfs/${head}/`, `/ipfs/${head}/content/`, '/rpc', '/rpc/', '/rpc/ws', '/api/v0/json-rpc', '/app/', '/app', '/', '//', '/unknown/')
    const queryText = fc.oneof(fc.constantFrom('format', 'raw', 'car', 'token', '', '%', '%zz', '__proto__'), fc.array(byte, { maxLength: 6 }).map(bytes => bytes.map(b => `%${b.toString(16).padStart(2, '0')}`).join('')))
    const headerValue = fc.oneof(
      fc.array(byte, { maxLength: 40 }).map(bytes => String.fromCharCode(...bytes)),
      fc.constantFrom('*', '"x"', 'W/"x"', documents.get('42')?.etag ?? '', `"${head}.raw"`, 'application/vnd.ipld.raw', 'application/vnd.ipld.car', 'text/html', 'http://evil.example', 'http://127.0.0.1', 'null', 'evil.example', 'localhost', '[::1]:1', 'bytes=0-1', 'Bearer x', 'websocket', ''),
    )
    const request = fc.record({
      method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH', 'TRACE'),
      prefix,
      segments: fc.array(segment, { maxLength: 5 }),
      query: fc.array(fc.tuple(queryText, queryText), { maxLength: 4 }),
      headers: fc.array(fc.tuple(fc.constantFrom('Host', 'Origin', 'Accept', 'If-None-Match', 'Authorization', 'Content-Type', 'Range', 'Cookie', 'X-Forwarded-For', 'Accept-Encoding'), headerValue), { maxLength: 4 }),
      // An Upgrade request off /rpc/ws: refused, and its socket (which Node hands over) closed.
      upgrade: fc.boolean(),
      body: fc.option(fc.oneof(fc.constantFrom(NODE_INFO, '', '{', '[]', 'null', '{"jsonrpc":"2.0","id":"\u0000\r\n","method":"\u0000"}'), fc.array(byte, { maxLength: 40 }).map(bytes => String.fromCharCode(...bytes))), { nil: undefined }),
    })
    await fc.assert(fc.asyncProperty(request, async ({ method, prefix, segments, query, headers, upgrade, body }) => {
      const path = `${prefix}${segments.join('/')}`
      const search = query.length === 0 ? '' : `?${query.map(([k, v]) => `${k}=${v}`).join('&')}`
      const all: Array<[string, string]> = upgrade && path !== '/rpc/ws' ? [...headers, ...UPGRADE] : headers
      await send({ method, target: `${path}${search}`, headers: all, body: method === 'POST' || method === 'PUT' ? body : undefined })
    }), { seed: SEED, numRuns: 1000 })
    expect(await readState()).toBe(before)
  }, 600_000)

  it('refuses a malformed item with a 4xx that names it', async () => {
    const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 })
    const notCid = (t: string): boolean => {
      try {
        CID.parse(t)
        return false
      } catch {
        return true
      }
    }
    const refusal = fc.oneof(
      text.filter(t => parseTokenId(t) === undefined).map(t => ({ target: `/metadata/${CHAIN}/${ADDRESS}/${encodeAll(t)}`, status: 400, item: t })),
      text.filter(t => parseTokenId(t) === undefined).map(t => ({ target: `/tk/${tokenKey}/${encodeAll(t)}`, status: 400, item: t })),
      text.filter(t => !/^[0-9]{1,20}$/.test(t)).map(t => ({ target: `/ta/${encodeAll(t)}/${ADDRESS}/42`, status: 400, item: t })),
      text.filter(t => !/^0x[0-9a-fA-F]{40}$/.test(t)).map(t => ({ target: `/metadata/${CHAIN}/${encodeAll(t)}/42`, status: 400, item: t })),
      text.filter(t => !/^[1-9A-HJ-NP-Za-km-z]{32,64}$/.test(t)).map(t => ({ target: `/tk/${encodeAll(t)}/42`, status: 400, item: t })),
      text.filter(notCid).map(t => ({ target: `/ipfs/${encodeAll(t)}`, status: 400, item: t })),
      text.filter(t => !t.includes('/') && t !== 'name' && t !== 'image').map(t => ({ target: `/ipfs/${head}/content/${encodeAll(t)}`, status: 404, item: t })),
      fc.constantFrom(1_000, 10_000).map(n => ({ target: `/metadata/${CHAIN}/${ADDRESS}/${'9'.repeat(n)}`, status: 414, item: '9'.repeat(60) })),
      fc.constantFrom(1, 2).map(n => ({ target: `/metadata/${CHAIN}/${ADDRESS}/${(MAX_UINT256 + BigInt(n)).toString()}`, status: 400, item: (MAX_UINT256 + BigInt(n)).toString() })),
    )
    await fc.assert(fc.asyncProperty(refusal, async ({ target, status, item }) => {
      const response = await send({ method: 'GET', target })
      expect(response.status, target).toBe(status)
      const error = errorOf(response)
      expect(error, target).toContain(printable(item))
      expect(error, target).not.toMatch(CONTROL)
    }), { seed: SEED, numRuns: 300 })
    expect(await readState()).toBe(before)
  }, 600_000)

  it('answers valid uint256 token ids, decimal or 64-hex, with 200 or 404 as the node holds them', async () => {
    const id = fc.oneof(fc.constantFrom(...HELD), fc.bigInt({ min: 0n, max: MAX_UINT256 }), fc.bigInt({ min: 0n, max: 1000n }))
    const spelling = fc.constantFrom('decimal', 'hex', 'HEX')
    const route = fc.constantFrom('metadata', 'ta', 'tk')
    await fc.assert(fc.asyncProperty(id, spelling, route, async (value, form, via) => {
      const text = form === 'decimal' ? value.toString() : form === 'hex' ? hex64(value) : hex64(value).toUpperCase()
      const target = via === 'tk' ? `/tk/${tokenKey}/${text}` : `/${via}/${CHAIN}/${ADDRESS}/${text}`
      const response = await send({ method: 'GET', target })
      const held = documents.get(value.toString())
      if (held !== undefined) {
        expect(response.status, target).toBe(200)
        expect(response.body.toString('utf8'), target).toBe(held.body)
        expect(response.headers.find(([name]) => name === 'etag')?.[1], target).toBe(held.etag)
      } else {
        expect(response.status, target).toBe(404)
        expect(errorOf(response), target).toContain(`token ${value.toString()} `)
      }
    }), { seed: SEED, numRuns: 300 })
    expect(await readState()).toBe(before)
  }, 600_000)

  it('logged no raw control character and no failed request throughout', () => {
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line.text, `${line.component}: ${JSON.stringify(line.text)}`).not.toMatch(CONTROL)
    expect(lines.filter(line => line.level === 'error').map(line => line.text)).toEqual([])
  })
})
