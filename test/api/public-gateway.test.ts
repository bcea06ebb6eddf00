import http from 'node:http'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LineageNode } from '../../src-main/node/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { eachLimited, exchange, parseResponse } from '../helpers/raw-http.js'
import { evmSigner } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

// The public gateway listener (`--gateway-host`) answers the read-only gateway to anyone and
// nothing else: no spelling of a path reaches the API, the WebSocket or the UI through it.
const CHAIN = '1'
const ADDRESS = '0x2222222222222222222222222222222222222222'
const TOKEN_PATH = `/metadata/${CHAIN}/${ADDRESS}/7`

async function publish (node: LineageNode, signer: TestSigner, fields: Record<string, string>): Promise<string[]> {
  const request = await signer.sign({ method: 'metadata', chain_id: CHAIN, token_address: ADDRESS, token_id: '7', meta_contract_id: 'open', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
  const { hash } = node.lineage.publish(request)
  await node.lineage.settled()
  const receipt = node.lineage.receipt(hash)
  if (receipt?.status !== 'applied') throw new Error(`not applied: ${receipt?.reason ?? 'no receipt'}`)
  return receipt.heads
}

const portOf = (url: string): number => Number(new URL(url).port)

describe('public gateway listener', () => {
  let running: TestNode
  let api: string
  let pub: string
  let token: string
  let heads: string[]
  let ipnsName: string

  beforeAll(async () => {
    // No rate limit here: the byte sweep below sends about 1,500 requests.
    running = await startTestNode({ gatewayHost: '127.0.0.1', gatewayPort: 0, gatewayRatePerSecond: 0 })
    api = running.base
    pub = running.node.status().publicGatewayUrl ?? ''
    token = readApiToken(running.node.status().dataDir) ?? ''
    const signer = evmSigner()
    await publish(running.node, signer, { method: 'contract', token_id: '', data: '{}' })
    heads = await publish(running.node, signer, { data: JSON.stringify({ name: 'Seven', description: 'public' }) })
    // The collection's IPNS name, so /ipns/<name>/… is swept too.
    ipnsName = (await running.node.findable?.ipns.publish({ chain_id: CHAIN, token_address: ADDRESS, cid: heads[0] ?? '' }))?.name ?? ''
  })
  afterAll(async () => { await running.stop() })

  it('listens on its own port, apart from the API, and node_info names it', () => {
    expect(pub).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(portOf(pub)).not.toBe(portOf(api))
    expect(running.node.info().public_gateway_url).toBe(pub)
    expect(running.node.info().api_url).toBe(api)
  })

  it('answers a tokenURI with the same bytes and ETag as the API listener, to any Host, with CORS *', async () => {
    const fromApi = await fetch(api + TOKEN_PATH)
    // A marketplace reaches a server by its public name: the loopback Host check does not apply.
    const fromPublic = await new Promise<{ status: number, headers: http.IncomingHttpHeaders, body: string }>((resolve, reject) => {
      http.get(pub + TOKEN_PATH, { headers: { host: 'metadata.example.org' } }, res => {
        let body = ''
        res.on('data', (d: Buffer) => { body += d.toString() })
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
      }).on('error', reject)
    })
    expect(fromPublic.status).toBe(200)
    expect(fromPublic.body).toBe(await fromApi.text())
    expect(JSON.parse(fromPublic.body)).toMatchObject({ name: 'Seven', description: 'public' })
    expect(fromPublic.headers.etag).toBe(fromApi.headers.get('etag'))
    expect(fromPublic.headers['access-control-allow-origin']).toBe('*')
    expect(fromPublic.headers['cache-control']).toBe('public, max-age=0, must-revalidate')
  })

  it('revalidates a tokenURI with If-None-Match (304) and answers HEAD with headers only', async () => {
    const first = await fetch(pub + TOKEN_PATH)
    const etag = first.headers.get('etag') ?? ''
    expect(etag).not.toBe('')
    const again = await fetch(pub + TOKEN_PATH, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    const head = await fetch(pub + TOKEN_PATH, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('etag')).toBe(etag)
    expect(await head.text()).toBe('')
  })

  it('serves /ipfs/ blocks as immutable, with the same bytes as the API listener', async () => {
    const path = `/ipfs/${heads[0] ?? ''}?format=raw`
    const fromPublic = await fetch(pub + path)
    const fromApi = await fetch(api + path)
    expect(fromPublic.status).toBe(200)
    expect(fromPublic.headers.get('cache-control')).toBe('public, max-age=29030400, immutable')
    expect(fromPublic.headers.get('etag')).toBe(fromApi.headers.get('etag'))
    expect(Buffer.from(await fromPublic.arrayBuffer())).toEqual(Buffer.from(await fromApi.arrayBuffer()))
    const cached = await fetch(pub + path, { headers: { 'if-none-match': fromPublic.headers.get('etag') ?? '' } })
    expect(cached.status).toBe(304)
  })

  it('answers every non-gateway path 404 in JSON, however it is spelled, even with the API token', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info' })
    const targets = ['/rpc', '/RPC', '/%72pc', '/rpc/', '//rpc', '/./rpc', '/metadata/../rpc', '/ta/%2e%2e/rpc', '/api/v0/json-rpc', '/app/', '/app', '/app%2F', '/app/index.html', '/', '/rpc/ws', '/rpc%2Fws']
    for (const target of targets) {
      for (const method of ['GET', 'POST']) {
        const request = `${method} ${target} HTTP/1.1\r\nHost: example.org\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${method === 'POST' ? Buffer.byteLength(body) : 0}\r\nConnection: close\r\n\r\n${method === 'POST' ? body : ''}`
        const response = parseResponse(await exchange(portOf(pub), request), method)
        const text = response.body.toString()
        // A write to a path spelled under a gateway prefix may be told it is read-only instead.
        const expected = method === 'POST' && /^\/(metadata|ta)\//.test(target) ? 405 : 404
        expect([target, method, response.status]).toEqual([target, method, expected])
        expect(new Map(response.headers).get('content-type')).toBe('application/json; charset=utf-8')
        expect(JSON.parse(text)).toHaveProperty('error')
        expect(text).not.toContain('jsonrpc')
      }
    }
  })

  it('answers every byte, raw or percent-encoded, in and after every prefix with a 4xx or 2xx in JSON, never a 5xx or the API', async () => {
    const prefixes = ['/', '/rpc', '/app/', '/metadata/', '/metadata/1/', `/metadata/1/${ADDRESS}/`, '/ipfs/', '/tk/', '/ipns/', `/ipns/${ipnsName}/`]
    const targets: string[] = []
    for (let byte = 0; byte < 256; byte++) {
      const encoded = `%${byte.toString(16).padStart(2, '0').toUpperCase()}`
      for (const prefix of prefixes) targets.push(prefix + encoded)
      // Raw: only what may stand in a request line (no space, no control byte).
      if (byte > 0x20 && byte < 0x7f) targets.push(`/metadata/1/${String.fromCharCode(byte)}`, `/${String.fromCharCode(byte)}rpc`)
    }
    const seen = new Map<number, number>()
    await eachLimited(targets, 16, async target => {
      const response = parseResponse(await exchange(portOf(pub), `GET ${target} HTTP/1.1\r\nHost: example.org\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`), 'GET')
      seen.set(response.status, (seen.get(response.status) ?? 0) + 1)
      expect([target, response.status >= 200 && response.status < 500]).toEqual([target, true])
      const text = response.body.toString()
      expect(text).not.toContain('jsonrpc')
      if (response.status >= 400) expect(JSON.parse(text)).toHaveProperty('error')
      // Outside the gateway's prefixes, nothing but 404 (400 for percent-encoding that is not UTF-8).
      if (!/^\/(metadata|ta|tk|ipfs|ipns)\//.test(target)) expect([target, [400, 404].includes(response.status)]).toEqual([target, true])
    })
    expect(seen.get(404)).toBeGreaterThan(500)
  })

  it('takes no WebSocket upgrade, on /rpc/ws or anywhere', async () => {
    for (const target of ['/rpc/ws', '/metadata/1/x/1']) {
      const request = `GET ${target} HTTP/1.1\r\nHost: example.org\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: lineage.jsonrpc, lineage.token.${token}\r\n\r\n`
      const response = parseResponse(await exchange(portOf(pub), request), 'GET')
      expect([target, response.status]).toEqual([target, 404])
      expect(response.body.toString()).not.toContain('jsonrpc')
    }
  })

  it('refuses writes to gateway paths (405, Allow: GET, HEAD, OPTIONS), never answering JSON-RPC', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(pub + TOKEN_PATH, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"jsonrpc":"2.0","id":1,"method":"node_info"}' })
      expect([method, response.status]).toEqual([method, 405])
      expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
      expect(await response.text()).not.toContain('jsonrpc')
    }
    // The CORS preflight stays open.
    const preflight = await fetch(pub + TOKEN_PATH, { method: 'OPTIONS' })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
  })
})

/** A GET from a chosen loopback address (127.0.0.2 is this machine too, but not a trusted proxy). */
async function getFrom (url: string, localAddress: string, headers: Record<string, string> = {}): Promise<{ status: number, retryAfter: string | undefined, exposed: string | undefined }> {
  return await new Promise((resolve, reject) => {
    http.get(url, { localAddress, headers, agent: false }, res => {
      res.resume()
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], exposed: res.headers['access-control-expose-headers'] }) })
    }).on('error', reject)
  })
}

describe('public gateway rate limit', () => {
  const BURST = 3
  let running: TestNode
  let pub: string

  beforeAll(async () => {
    // So slow a refill that none arrives while the test runs: a burst past 3 is refused.
    running = await startTestNode({ gatewayHost: '127.0.0.1', gatewayPort: 0, gatewayRateBurst: BURST, gatewayRatePerSecond: 0.001, trustedProxies: ['127.0.0.1'] })
    pub = `${running.node.status().publicGatewayUrl ?? ''}/metadata/1/${ADDRESS}/1`
  })
  afterAll(async () => { await running.stop() })

  it('gives each client its burst, then 429 with Retry-After; another client is unaffected', async () => {
    const client = { 'x-forwarded-for': '198.51.100.7' }
    const answers = []
    for (let i = 0; i < BURST + 2; i++) answers.push(await getFrom(pub, '127.0.0.1', client))
    // 404: the collection is unknown here; what matters is that the read was let through.
    expect(answers.map(a => a.status)).toEqual([404, 404, 404, 429, 429])
    const wait = Number(answers[BURST]?.retryAfter)
    expect(Number.isInteger(wait) && wait >= 1).toBe(true)
    expect(answers[BURST]?.exposed).toBe('Retry-After')
    // The proxy names another client: its own bucket.
    expect((await getFrom(pub, '127.0.0.1', { 'x-forwarded-for': '198.51.100.8' })).status).toBe(404)
    // Hops the client wrote itself before the proxy's own entry do not change who it is.
    expect((await getFrom(pub, '127.0.0.1', { 'x-forwarded-for': '203.0.113.1, 198.51.100.7' })).status).toBe(429)
  })

  it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
    const answers = []
    for (let i = 0; i < BURST + 1; i++) answers.push((await getFrom(pub, '127.0.0.2', { 'x-forwarded-for': `192.0.2.${i + 1}` })).status)
    expect(answers).toEqual([404, 404, 404, 429])
  })
})

describe('public gateway start and stop', () => {
  it('a port in use fails the node start with an error naming the address', async () => {
    const squatter = net.createServer()
    await new Promise<void>(resolve => { squatter.listen(0, '127.0.0.1', resolve) })
    const port = (squatter.address() as net.AddressInfo).port
    try {
      const failed = await startTestNode({ gatewayHost: '127.0.0.1', gatewayPort: port }).then(() => undefined, (err: unknown) => err as Error)
      expect(failed?.name).toBe('PublicGatewayListenError')
      expect(failed?.message).toBe(`The public gateway cannot listen on 127.0.0.1:${port}: the port is in use by another program`)
    } finally {
      await new Promise(resolve => { squatter.close(resolve) })
    }
  })

  it('stops with the node: the public port is free again', async () => {
    const running = await startTestNode({ gatewayHost: '127.0.0.1', gatewayPort: 0 })
    const port = portOf(running.node.status().publicGatewayUrl ?? '')
    expect((await fetch(`http://127.0.0.1:${port}/nothing`)).status).toBe(404)
    await running.stop()
    const again = net.createServer()
    await new Promise<void>((resolve, reject) => { again.once('error', reject).listen(port, '127.0.0.1', resolve) })
    await new Promise(resolve => { again.close(resolve) })
  })
})
