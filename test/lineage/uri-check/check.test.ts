import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenUriChecker, gatewayBase, reachableLocally, resolveTokenUri, URI_CHECK_MAX_BYTES, URI_CHECK_MAX_REDIRECTS } from '../../../src-main/lineage/uri-check/index.js'

const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'

/** A real HTTP server on loopback answering each way a tokenURI goes wrong, and recording what it was sent. */
function marketplaceTargets (): { server: http.Server, seen: http.IncomingHttpHeaders[], loops: () => number } {
  const seen: http.IncomingHttpHeaders[] = []
  let loops = 0
  const server = http.createServer((request, response) => {
    seen.push(request.headers)
    const path = request.url ?? ''
    if (path === '/ok' || path === `/ipfs/${CID}/7`) {
      response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=1' })
      response.end(JSON.stringify({ name: 'Lantern #7', image: 'ipfs://bafy/7.png' }))
    } else if (path === '/moved') {
      response.writeHead(301, { location: '/ok' }).end()
    } else if (path === '/loop') {
      loops++
      response.writeHead(302, { location: '/loop' }).end()
    } else if (path === '/to-ftp') {
      response.writeHead(302, { location: 'ftp://example.com/7' }).end()
    } else if (path === '/slow') {
      // Never answers: the check gives up on its own time limit.
    } else if (path === '/huge') {
      // No Content-Length: the cap must hold while reading.
      response.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      for (let sent = 0; sent <= URI_CHECK_MAX_BYTES; sent += chunk.length) response.write(chunk)
      response.end('{}')
    } else if (path === '/huge-declared') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(URI_CHECK_MAX_BYTES + 1) })
      response.end(Buffer.alloc(URI_CHECK_MAX_BYTES + 1, 0x20))
    } else if (path === '/html') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Lantern</body></html>')
    } else if (path === '/array') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('[1,2]')
    } else if (path === '/nameless') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ description: 'no name', image: 'https://example.com/7.png' }))
    } else {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
    }
  })
  return { server, seen, loops: () => loops }
}

describe('checking a tokenURI the way a marketplace does, against real local servers', () => {
  const targets = marketplaceTargets()
  let base: string
  let closedPort: number
  const checker = createTokenUriChecker({ timeoutMs: 300 })
  const check = async (uri: string): Promise<Awaited<ReturnType<typeof checker.check>>> => await checker.check(uri, { ipfsGateway: base })

  beforeAll(async () => {
    await new Promise<void>(resolve => targets.server.listen({ host: '127.0.0.1', port: 0 }, resolve))
    base = `http://127.0.0.1:${(targets.server.address() as AddressInfo).port}`
    const closed = http.createServer()
    await new Promise<void>(resolve => closed.listen({ host: '127.0.0.1', port: 0 }, resolve))
    closedPort = (closed.address() as AddressInfo).port
    await new Promise(resolve => closed.close(resolve))
  })
  afterAll(async () => {
    targets.server.closeAllConnections()
    await new Promise(resolve => targets.server.close(resolve))
  })

  it('shows a token served as JSON with a name: status, type, size, name and image; asks for JSON and sends no cookie', async () => {
    const result = await check(`${base}/ok`)
    expect(result).toMatchObject({ ok: true, url: `${base}/ok`, redirects: 0, status: 200, content_type: 'application/json', name: 'Lantern #7', image: 'ipfs://bafy/7.png' })
    expect(result.bytes).toBe(JSON.stringify({ name: 'Lantern #7', image: 'ipfs://bafy/7.png' }).length)
    expect(result.problem).toBeUndefined()
    expect(Number.isInteger(result.elapsed_ms) && result.elapsed_ms >= 0).toBe(true)
    const sent = targets.seen.at(-1)
    expect(sent?.accept).toBe('application/json')
    expect(sent?.cookie).toBeUndefined()
  })

  it('follows a redirect, and sends no cookie the first answer set', async () => {
    const result = await check(`${base}/moved`)
    expect(result).toMatchObject({ ok: true, url: `${base}/moved`, redirects: 1, status: 200, name: 'Lantern #7' })
    expect(targets.seen.at(-1)?.cookie).toBeUndefined()
  })

  it('reads ipfs://<cid>/<path> through the gateway it is given', async () => {
    expect(await check(`ipfs://${CID}/7`)).toMatchObject({ ok: true, url: `${base}/ipfs/${CID}/7`, name: 'Lantern #7' })
    expect(await check(`ipfs://ipfs/${CID}/7`)).toMatchObject({ ok: true, url: `${base}/ipfs/${CID}/7` })
  })

  it('says in plain words why a marketplace would not show the token', async () => {
    expect(await check(`${base}/missing`)).toMatchObject({ ok: false, status: 404, problem: 'answered 404' })
    expect(await check(`${base}/html`)).toMatchObject({ ok: false, status: 200, content_type: 'text/html', problem: 'not JSON' })
    expect(await check(`${base}/array`)).toMatchObject({ ok: false, problem: 'not a JSON object' })
    expect(await check(`${base}/nameless`)).toMatchObject({ ok: false, image: 'https://example.com/7.png', problem: 'no metadata name field' })
    expect(await check(`${base}/to-ftp`)).toMatchObject({ ok: false, status: 302, problem: 'redirected to "ftp://example.com/7", which a marketplace cannot follow' })
    expect(await check(`http://127.0.0.1:${closedPort}/7`)).toMatchObject({ ok: false, status: null, problem: `nothing answered at 127.0.0.1:${closedPort} (connection refused)` })
    expect(await check('http://127.0.0.1:25/7')).toMatchObject({ ok: false, status: null, problem: 'port 25 is one that browsers and marketplaces refuse to fetch from' })
  })

  it('gives up on a server that does not answer in time', async () => {
    expect(await check(`${base}/slow`)).toMatchObject({ ok: false, status: null, problem: 'took longer than 0.3 s' })
  })

  it('stops reading past the size cap, declared or not', async () => {
    const streamed = await check(`${base}/huge`)
    expect(streamed).toMatchObject({ ok: false, status: 200, problem: 'larger than 1 MiB' })
    expect(streamed.bytes).toBe(0)
    expect(await check(`${base}/huge-declared`)).toMatchObject({ ok: false, status: 200, problem: 'larger than 1 MiB' })
  })

  it('stops a redirect loop after the bound', async () => {
    const before = targets.loops()
    expect(await check(`${base}/loop`)).toMatchObject({ ok: false, status: 302, redirects: URI_CHECK_MAX_REDIRECTS, problem: `redirected more than ${URI_CHECK_MAX_REDIRECTS} times (a redirect loop?)` })
    expect(targets.loops() - before).toBe(URI_CHECK_MAX_REDIRECTS + 1)
  })

  it('refuses, before fetching anything, what is not a tokenURI or a gateway', async () => {
    const requests = targets.seen.length
    for (const [uri, words] of [['ftp://example.com/7', 'must start with https://, http:// or ipfs://<CID>/'], ['ipfs://not-a-cid/7', '"not-a-cid" after ipfs:// is not a CID'], ['7', 'must start with']] as const) {
      await expect(check(uri)).rejects.toMatchObject({ name: 'CheckedUriError', field: 'uri', message: expect.stringContaining(words) })
    }
    await expect(checker.check(`ipfs://${CID}/7`, { ipfsGateway: 'gateway.example' })).rejects.toMatchObject({ name: 'CheckedUriError', field: 'ipfs_gateway' })
    expect(targets.seen.length).toBe(requests)
  })
})

describe('tokenURI addresses', () => {
  it('resolves ipfs:// through a gateway given with or without /ipfs and a trailing slash', () => {
    for (const gateway of ['https://ipfs.io', 'https://ipfs.io/', 'https://ipfs.io/ipfs/', 'https://ipfs.io/ipfs']) {
      expect(resolveTokenUri(`ipfs://${CID}/7`, gateway)).toBe(`https://ipfs.io/ipfs/${CID}/7`)
    }
    expect(gatewayBase('https://example.com/gw/')).toBe('https://example.com/gw')
    expect(resolveTokenUri('https://example.com/metadata/1/0xabc/7', 'https://ipfs.io')).toBe('https://example.com/metadata/1/0xabc/7')
  })

  it('reaches a listener on every interface through loopback', () => {
    expect(reachableLocally('http://0.0.0.0:8080')).toBe('http://127.0.0.1:8080')
    expect(reachableLocally('http://[::]:8080')).toBe('http://[::1]:8080')
    expect(reachableLocally('http://192.168.1.20:8080')).toBe('http://192.168.1.20:8080')
    expect(resolveTokenUri('http://0.0.0.0:8080/metadata/1/0xabc/7', 'https://ipfs.io')).toBe('http://127.0.0.1:8080/metadata/1/0xabc/7')
    expect(reachableLocally('http://0.0.0.0.example.com/7')).toBe('http://0.0.0.0.example.com/7')
  })
})
