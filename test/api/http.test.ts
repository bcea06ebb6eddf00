import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { LATEST_SCHEMA_VERSION } from '../../src-main/store/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { MAX_BODY_BYTES, RPC_ERROR_CODES, UI_CONTENT_SECURITY_POLICY } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import type { NodeInfo } from '../../src-main/api/index.js'
import { exchange, parseResponse } from '../helpers/raw-http.js'
import { postRpc } from '../helpers/rpc.js'

describe('HTTP API of a real node', () => {
  let node: LineageNode
  let base: string
  let running: TestNode
  let auth: Record<string, string>
  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    base = node.status().apiUrl ?? ''
    auth = { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(node.config.dataDir) ?? ''}` }
  })
  afterAll(async () => { await running.stop() })

  it('answers node_info over POST /rpc and the original alias /api/v0/json-rpc', async () => {
    for (const path of ['/rpc', '/api/v0/json-rpc']) {
      const { status, headers, json } = await postRpc(base + path, '{"jsonrpc":"2.0","id":1,"method":"node_info"}', auth)
      expect(status).toBe(200)
      expect(headers.get('content-type')).toMatch(/^application\/json/)
      const info = (json as { result: NodeInfo }).result
      expect(info.peer_id).toBe(node.peerId)
      expect(info.state).toBe('running')
      expect(info.data_dir).toBe(node.config.dataDir)
      expect(info.schema_version).toBe(LATEST_SCHEMA_VERSION)
      expect(info.api_url).toBe(base)
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/)
      expect(info.uptime_ms).toBeGreaterThanOrEqual(0)
      expect(info.stats).toEqual({ collections: 0, tokens: 0, slots: 0, transactions: 0, blocks: 0, block_bytes: 0, database_bytes: expect.any(Number) })
    }
  })

  it('answers a malformed body with a JSON-RPC parse error, not an HTTP error page', async () => {
    for (const body of ['{"jsonrpc":', '', 'null x', '\u0000']) {
      const { status, json } = await postRpc(base + '/rpc', body)
      expect(status).toBe(200)
      expect(json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } })
    }
  })

  it('answers batches, and 204 with no body when there are only notifications', async () => {
    const { json } = await postRpc(base + '/rpc', JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'node_info' }, { jsonrpc: '2.0', id: 2, method: 'no_such_method' }]), auth)
    expect(json).toMatchObject([{ id: 1, result: { peer_id: node.peerId } }, { id: 2, error: { code: -32601 } }])
    const silent = await postRpc(base + '/rpc', '{"jsonrpc":"2.0","method":"node_info"}')
    expect(silent.status).toBe(204)
    expect(silent.json).toBeUndefined()
  })

  it('refuses oversized bodies and other content types with a JSON-RPC error', async () => {
    const big = await postRpc(base + '/rpc', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info', params: ['x'.repeat(MAX_BODY_BYTES)] }))
    expect(big.status).toBe(413)
    expect(big.json).toMatchObject({ error: { code: -32600, message: expect.stringContaining('larger than') } })
    const text = await postRpc(base + '/rpc', '{}', { 'content-type': 'text/plain' })
    expect(text.status).toBe(415)
    expect(text.json).toMatchObject({ error: { code: -32600, message: expect.stringContaining('application/json') } })
  })

  it('runs write and private methods only with the node\'s API token', async () => {
    const token = readApiToken(node.config.dataDir) ?? ''
    expect(token).toMatch(/^[0-9a-f]{64}$/)
    const body = '{"jsonrpc":"2.0","id":1,"method":"gc","params":[true]}'
    expect((await postRpc(base + '/rpc', body)).json).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized, message: expect.stringContaining('api-token') } })
    expect((await postRpc(base + '/rpc', body, { 'content-type': 'application/json', authorization: 'Bearer ' + 'f'.repeat(64) })).json).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    expect((await postRpc(base + '/rpc', body, { 'content-type': 'application/json', authorization: `Bearer ${token}` })).json).toMatchObject({ result: { freed: [], bytes: 0 } })
    expect((await postRpc(base + '/rpc', '{"jsonrpc":"2.0","id":1,"method":"pin_ls"}')).json).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    expect((await postRpc(base + '/rpc', '{"jsonrpc":"2.0","id":1,"method":"pin_ls"}', auth)).json).toMatchObject({ result: [] })
    expect((await postRpc(base + '/rpc', '{"jsonrpc":"2.0","id":1,"method":"get_node_clock"}')).json).toMatchObject({ result: expect.any(Number) })
  })

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(base + '/rpc')
      const r = request({ host: url.hostname, port: url.port, path: '/rpc', method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' } }, res => { resolve(res.statusCode ?? 0); res.resume() })
      r.on('error', reject)
      r.end('{"jsonrpc":"2.0","id":1,"method":"node_info"}')
    })
    expect(status).toBe(403)
  })

  it('serves the built UI at /app/ with its CSP, and redirects / there', async () => {
    const page = await fetch(base + '/app/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('content-security-policy')).toBe(UI_CONTENT_SECURITY_POLICY)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(await page.text()).toContain('<div id="app">')
    const root = await fetch(base + '/', { redirect: 'manual' })
    expect(root.status).toBe(302)
    expect(root.headers.get('location')).toBe('/app/')
    for (const probe of ['/app/..%2f..%2fpackage.json', '/app/../../package.json', '/app/%2e%2e/%2e%2e/package.json', '/app/.env']) {
      const response = await fetch(base + probe)
      expect([403, 404]).toContain(response.status)
      expect(await response.text()).not.toContain('lineage-desktop')
    }
  })

  it('refuses what it does not serve with a JSON 4xx naming it, including what fastify and Node\'s parser refuse', async () => {
    const port = Number(new URL(base).port)
    const raw = async (request: string, method = request.slice(0, request.indexOf(' '))): Promise<{ status: number, error: string, allow?: string }> => {
      const response = parseResponse(await exchange(port, request), method)
      const allow = response.headers.find(([name]) => name === 'allow')?.[1]
      return { status: response.status, error: (JSON.parse(response.body.toString('utf8')) as { error: string }).error, ...(allow === undefined ? {} : { allow }) }
    }
    const get = (target: string, headers = 'Host: 127.0.0.1\r\n'): string => `GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`
    const UPGRADE = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
    const cases: Array<[string, { status: number, error: string, allow?: string }]> = [
      [get('/nowhere/x'), { status: 404, error: 'Nothing is served at "/nowhere/x". The node serves /metadata/…, /ta/…, /tk/…, /ipfs/…, /ipns/…, POST /rpc and the UI at /app/.' }],
      [get('/rpc'), { status: 405, error: 'GET is not answered at "/rpc"; use POST.', allow: 'POST' }],
      ['PUT /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}', { status: 405, error: 'PUT is not answered at "/rpc"; use POST.', allow: 'POST' }],
      [get('/tk/%zz/1'), { status: 400, error: 'The path "/tk/%zz/1" is not valid percent-encoding: each % must be followed by two hex digits, and the bytes must spell UTF-8 text.' }],
      [get('/app/%c3'), { status: 400, error: 'The path "/app/%c3" is not valid percent-encoding: each % must be followed by two hex digits, and the bytes must spell UTF-8 text.' }],
      [get('/app/nothing.js'), { status: 404, error: 'The UI has no file at "/app/nothing.js".' }],
      [get('/app/.env'), { status: 403, error: 'The UI does not serve "/app/.env": hidden files and paths outside its folder are refused.' }],
      [get('/rpc', ''), { status: 400, error: 'An HTTP/1.1 request must name the host it is for in a Host header.' }],
      ['CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', { status: 405, error: 'CONNECT is not answered: this node is not a proxy.' }],
      ['BREW /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', { status: 400, error: 'The request method is not one this node knows (it answers GET, HEAD, OPTIONS and POST).' }],
      [get('/rpc', 'Host: 127.0.0.1\r\nX-Note: a\u0001b\r\n'), { status: 400, error: 'A header name or value holds a character HTTP does not allow (a control character, or a space in a name).' }],
      [get(`/rpc?${'a=1&'.repeat(5_000)}`), { status: 431, error: 'The request\'s URL and headers are larger than the 16384 bytes this node reads.' }],
      [get('/rpc/ws'), { status: 426, error: '/rpc/ws takes WebSocket connections only (Upgrade: websocket); send JSON-RPC over HTTP to POST /rpc.' }],
      [get('/rpc/ws', 'Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n'), { status: 400, error: 'A WebSocket handshake needs Upgrade: websocket, Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key of 16 base64-encoded bytes.' }],
      [get('/rpc/ws', 'Host: 127.0.0.1\r\nOrigin: https://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'), { status: 403, error: 'WebSocket connections are only accepted from the node\'s own UI.' }],
      [get('/ipfs/bafkqaaa', 'Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'), { status: 400, error: 'Only /rpc/ws takes WebSocket (Upgrade) connections.' }],
      [get('/rpc', 'Host: evil.example\r\n'), { status: 403, error: 'This Lineage node only answers requests addressed to 127.0.0.1 or localhost.' }],
      // Refused Upgrade requests: Node hands their sockets over, so each must still be closed.
      [get('/rpc/ws', `Host: evil.example\r\n${UPGRADE}`), { status: 403, error: 'This Lineage node only answers requests addressed to 127.0.0.1 or localhost.' }],
      [get('/rpc/ws', UPGRADE), { status: 400, error: 'An HTTP/1.1 request must name the host it is for in a Host header.' }],
      [get('/%zz', `Host: 127.0.0.1\r\n${UPGRADE}`), { status: 400, error: 'The path "/%zz" is not valid percent-encoding: each % must be followed by two hex digits, and the bytes must spell UTF-8 text.' }],
    ]
    for (const [request, expected] of cases) expect(await raw(request), JSON.stringify(request.slice(0, 80))).toEqual(expected)
    // A HEAD request refused by the parser gets the headers alone.
    const head = parseResponse(await exchange(port, 'HEAD /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: \u0000\r\n\r\n'), 'HEAD')
    expect(head.status).toBe(400)
    expect(head.body.length).toBe(0)
  })
})
