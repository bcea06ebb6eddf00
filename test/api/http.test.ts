import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { LATEST_SCHEMA_VERSION } from '../../src-main/store/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { MAX_BODY_BYTES, RPC_ERROR_CODES, UI_CONTENT_SECURITY_POLICY } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import type { NodeInfo } from '../../src-main/api/index.js'
import { postRpc } from '../helpers/rpc.js'

describe('HTTP API of a real node', () => {
  let node: LineageNode
  let base: string
  let running: TestNode
  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    base = node.status().apiUrl ?? ''
  })
  afterAll(async () => { await running.stop() })

  it('answers node_info over POST /rpc and the original alias /api/v0/json-rpc', async () => {
    for (const path of ['/rpc', '/api/v0/json-rpc']) {
      const { status, headers, json } = await postRpc(base + path, '{"jsonrpc":"2.0","id":1,"method":"node_info"}')
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
    const { json } = await postRpc(base + '/rpc', JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'node_info' }, { jsonrpc: '2.0', id: 2, method: 'no_such_method' }]))
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

  it('runs write methods only with the node\'s API token', async () => {
    const token = readApiToken(node.config.dataDir) ?? ''
    expect(token).toMatch(/^[0-9a-f]{64}$/)
    const body = '{"jsonrpc":"2.0","id":1,"method":"gc","params":[true]}'
    expect((await postRpc(base + '/rpc', body)).json).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized, message: expect.stringContaining('api-token') } })
    expect((await postRpc(base + '/rpc', body, { 'content-type': 'application/json', authorization: 'Bearer ' + 'f'.repeat(64) })).json).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    expect((await postRpc(base + '/rpc', body, { 'content-type': 'application/json', authorization: `Bearer ${token}` })).json).toMatchObject({ result: { freed: [], bytes: 0 } })
    expect((await postRpc(base + '/rpc', '{"jsonrpc":"2.0","id":1,"method":"pin_ls"}')).json).toMatchObject({ result: [] })
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
})
