import { CarReader } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { identity } from 'multiformats/hashes/identity'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { exchange, parseResponse } from '../helpers/raw-http.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { evmSigner, ed25519Signer } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'

const CHAIN = '1'
const ADDRESS = '0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d'

describe('HTTP gateway of a real node', () => {
  let node: LineageNode
  let base: string
  let running: TestNode
  let heads: string[] = []
  const binder = evmSigner()
  const fan = ed25519Signer()

  async function publish (signer: TestSigner, fields: Record<string, string>): Promise<string[]> {
    const request = await signer.sign({ method: 'metadata', chain_id: CHAIN, token_address: ADDRESS, token_id: '42', meta_contract_id: 'open', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
    const { hash } = node.lineage.publish(request)
    await node.lineage.settled()
    const receipt = node.lineage.receipt(hash)
    if (receipt?.status !== 'applied') throw new Error(`not applied: ${receipt?.reason ?? 'no receipt'}`)
    return receipt.heads
  }

  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    base = node.status().apiUrl ?? ''
    await publish(binder, { method: 'contract', token_id: '', data: '{}' })
    await publish(binder, { data: JSON.stringify({ name: 'Token 42', image: 'https://example.org/{id}.png', description: 'first' }) })
    heads = await publish(binder, { data: JSON.stringify({ name: 'Token 42', image: 'https://example.org/{id}.png', description: 'second' }) })
    await publish(fan, { alias: 'lore', data: JSON.stringify({ story: 'once upon a time' }) })
  })
  afterAll(async () => { await running.stop() })

  it('serves the merged tokenURI document with {id} substituted, by decimal and by ERC-1155 hex id', async () => {
    const expected = {
      description: 'second',
      image: 'https://example.org/000000000000000000000000000000000000000000000000000000000000002a.png',
      lore: { story: 'once upon a time' },
      name: 'Token 42',
    }
    for (const path of [`/metadata/${CHAIN}/${ADDRESS}/42`, `/metadata/${CHAIN}/${ADDRESS.toUpperCase().replace('0X', '0x')}/${'0'.repeat(62)}2a`, `/ta/${CHAIN}/${ADDRESS}/42`, `/tk/${node.lineage.tokenKey(CHAIN, ADDRESS)}/42`]) {
      const response = await fetch(base + path, { headers: { host: 'metadata.example.org' } })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(await response.json()).toEqual(expected)
    }
  })

  it('sends a document from the node\'s listener exactly as the gateway\'s routes do: headers, body, HEAD and 304', async () => {
    // A percent-escaped id names the same token, but only the app's routes read escapes: the
    // listener leaves those requests to them. Both answers must be the same bytes but for the date.
    const port = Number(new URL(base).port)
    const tokenKey = node.lineage.tokenKey(CHAIN, ADDRESS)
    const answer = async (method: string, path: string, extra = ''): Promise<{ status: number, headers: Array<[string, string]>, body: string }> => {
      const raw = parseResponse(await exchange(port, `${method} ${path} HTTP/1.1\r\nHost: metadata.example.org\r\nConnection: close\r\n${extra}\r\n`), method)
      return { status: raw.status, headers: raw.headers.filter(([name]) => name !== 'date').sort(([a], [b]) => a.localeCompare(b)), body: raw.body.toString('utf8') }
    }
    const etag = (await fetch(`${base}/metadata/${CHAIN}/${ADDRESS}/42`)).headers.get('etag') ?? ''
    expect(etag).not.toBe('')
    for (const [direct, routed] of [[`/metadata/${CHAIN}/${ADDRESS}/42`, `/metadata/${CHAIN}/${ADDRESS}/%342`], [`/tk/${tokenKey}/42`, `/tk/${tokenKey}/4%32`]] as const) {
      for (const [method, extra] of [['GET', ''], ['HEAD', ''], ['GET', `If-None-Match: ${etag}\r\n`]] as const) {
        const fast = await answer(method, direct, extra)
        const app = await answer(method, routed, extra)
        expect({ direct, method, extra, ...fast }).toEqual({ direct, method, extra, ...app })
        expect(fast.status).toBe(extra === '' ? 200 : 304)
      }
    }
  })

  it('answers If-None-Match with 304 until a new version changes the ETag', async () => {
    const first = await fetch(`${base}/metadata/${CHAIN}/${ADDRESS}/42`)
    const etag = first.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/)
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate')
    expect((await fetch(`${base}/metadata/${CHAIN}/${ADDRESS}/42`, { headers: { 'if-none-match': etag } })).status).toBe(304)
    await publish(fan, { alias: 'lore', data: JSON.stringify({ story: 'a new chapter' }) })
    const after = await fetch(`${base}/metadata/${CHAIN}/${ADDRESS}/42`, { headers: { 'if-none-match': etag } })
    expect(after.status).toBe(200)
    expect(((await after.json()) as { lore: { story: string } }).lore.story).toBe('a new chapter')
  })

  it('says 404 in JSON for unknown tokens and collections, 400 for malformed ids', async () => {
    const cases: Array<[string, number, string]> = [
      [`/metadata/${CHAIN}/${ADDRESS}/43`, 404, 'no metadata for token 43'],
      [`/metadata/${CHAIN}/0x0000000000000000000000000000000000000001/1`, 404, 'no metadata for collection'],
      [`/metadata/${CHAIN}/${ADDRESS}/-1`, 400, 'not a token id'],
      [`/metadata/${CHAIN}/${ADDRESS}/1e3`, 400, 'not a token id'],
      [`/metadata/${CHAIN}/${ADDRESS}/${'f'.repeat(65)}`, 400, 'not a token id'],
      [`/metadata/${CHAIN}/${ADDRESS}/${'9'.repeat(79)}`, 400, 'not a token id'],
      [`/metadata/${CHAIN}/0xnothex/1`, 400, 'not a contract address'],
      [`/metadata/ethereum/${ADDRESS}/1`, 400, 'not a chain id'],
      ['/tk/not-base58!/1', 400, 'not a token key'],
      ['/ipfs/not-a-cid', 400, 'not a CID'],
      [`/ipfs/${heads[0] ?? ''}?format=html`, 400, 'Unknown format'],
      ['/ipfs/bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', 404, 'does not hold'],
      [`/ipfs/${heads[0] ?? ''}/nope`, 404, 'No "nope"'],
    ]
    for (const [path, status, text] of cases) {
      const response = await fetch(base + path)
      expect(response.status, path).toBe(status)
      const body = await response.json() as { error: string }
      expect(body.error.toLowerCase(), path).toContain(text.toLowerCase())
    }
  })

  it('serves blocks trustlessly: raw bytes hash to the CID, CAR holds the whole history, paths follow links', async () => {
    const head = CID.parse(heads[0] ?? '')
    const raw = await fetch(`${base}/ipfs/${head.toString()}?format=raw`)
    expect(raw.headers.get('content-type')).toBe('application/vnd.ipld.raw')
    expect(raw.headers.get('cache-control')).toContain('immutable')
    expect(raw.headers.get('etag')).toBe(`"${head.toString()}.raw"`)
    const bytes = new Uint8Array(await raw.arrayBuffer())
    expect((await sha256.digest(bytes)).digest).toEqual(head.multihash.digest)
    expect((dagCbor.decode(bytes) as { content: { description: string } }).content.description).toBe('second')

    const car = await fetch(`${base}/ipfs/${head.toString()}`, { headers: { accept: 'application/vnd.ipld.car' } })
    expect(car.headers.get('content-type')).toMatch(/^application\/vnd\.ipld\.car/)
    const reader = await CarReader.fromBytes(new Uint8Array(await car.arrayBuffer()))
    expect((await reader.getRoots()).map(String)).toEqual([head.toString()])
    const blocks = []
    for await (const block of reader.blocks()) {
      expect((await sha256.digest(block.bytes)).digest).toEqual(block.cid.multihash.digest)
      blocks.push(block.cid.toString())
    }
    expect(blocks).toHaveLength(2) // this version and the one before it

    const field = await fetch(`${base}/ipfs/${head.toString()}/previous/content/description`)
    expect(await field.json()).toBe('first')
    const whole = await fetch(`${base}/ipfs/${head.toString()}`)
    expect(whole.headers.get('content-type')).toBe('application/vnd.ipld.dag-json')
    expect(((await whole.json()) as { previous: { '/': string } }).previous['/']).toMatch(/^bafyrei/)
  })

  it('percent-encodes field names in x-ipfs-path and the ETag, so any name is served, not a 500', async () => {
    const odd = 'a b?"c"\r\n€\u0000'
    const [oddHead] = await publish(binder, { token_id: '7', data: JSON.stringify({ name: 'Seven', [odd]: 'odd' }) })
    const encoded = 'a%20b%3F%22c%22%0D%0A%E2%82%AC%00'
    const response = await fetch(`${base}/ipfs/${oddHead ?? ''}/content/${encoded}`)
    expect(response.status).toBe(200)
    expect(await response.json()).toBe('odd')
    expect(response.headers.get('x-ipfs-path')).toBe(`/ipfs/${oddHead ?? ''}/content/${encoded}`)
    expect(response.headers.get('etag')).toBe(`"${oddHead ?? ''}/content/${encoded}.json"`)
    // Refused names come back in the message, escaped, never in a header.
    const missing = await fetch(`${base}/ipfs/${oddHead ?? ''}/content/x%0D%0Ay`)
    expect(missing.status).toBe(404)
    expect(missing.headers.get('x-ipfs-path')).toBe(`/ipfs/${oddHead ?? ''}/content/x%0D%0Ay`)
    expect(((await missing.json()) as { error: string }).error).toBe('No "x\\x0d\\x0ay" at that path.')
  })

  it('answers CIDs it cannot serve with a 4xx: unheld hashes and codecs, huge identity CIDs, blocks that are not what their CID says', async () => {
    const digest512 = await sha512.digest(new TextEncoder().encode('never stored'))
    const cases: Array<[string, number, string]> = [
      // A sha2-512 CID is longer than fastify's default limit of 100 characters for a path part.
      [`/ipfs/${CID.createV1(dagCbor.code, digest512).toString()}`, 404, 'does not hold'],
      [`/ipfs/${CID.createV1(0x300001, await sha256.digest(new Uint8Array([1]))).toString()}`, 404, 'does not hold'],
      [`/ipfs/${CID.createV1(0x55, identity.digest(new Uint8Array(40))).toString()}`, 404, 'does not hold'],
      [`/ipfs/${CID.createV1(0x55, identity.digest(new Uint8Array(5_000))).toString()}`, 414, 'is longer than the 256 characters'],
      [`/ipfs/${heads[0] ?? ''}/previous/previous/content`, 404, 'No "previous"'],
      [`/ipfs/${heads[0] ?? ''}/content/name/deeper`, 404, 'No "deeper"'],
      [`/ipfs/${heads[0] ?? ''}/${'content/'.repeat(33)}`, 400, 'limited to 32 segments'],
      [`/ipfs/${heads[0] ?? ''}?format=raw&format=car`, 400, 'once'],
    ]
    const junk = new TextEncoder().encode('not dag-cbor')
    const junkCid = CID.createV1(dagCbor.code, await sha256.digest(junk))
    createBlockstore(node.store, { transactionRows: ledgerReads }).putSync(junkCid, junk)
    cases.push([`/ipfs/${junkCid.toString()}`, 422, 'not valid dag-cbor'])
    for (const [path, status, text] of cases) {
      const response = await fetch(base + path)
      expect(response.status, path).toBe(status)
      expect(((await response.json()) as { error: string }).error, path).toContain(text)
    }
    expect((await fetch(`${base}/ipfs/${junkCid.toString()}?format=raw`)).status).toBe(200)
    // Past Node's 16 KiB limit for the request head: refused by the HTTP parser, still in JSON.
    const huge = CID.createV1(0x55, identity.digest(new Uint8Array(20_000))).toString()
    const answer = parseResponse(await exchange(Number(new URL(base).port), `GET /ipfs/${huge} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), 'GET')
    expect(answer.status).toBe(431)
    expect((JSON.parse(answer.body.toString()) as { error: string }).error).toContain('larger than')
  })

  it('names a CAR download by RFC 6266, and answers HEAD and CORS preflight from any host', async () => {
    const head = heads[0] ?? ''
    const car = await fetch(`${base}/ipfs/${head}?format=car`)
    expect(car.headers.get('content-disposition')).toBe(`attachment; filename="${head}.car"`)
    const probe = await fetch(`${base}/metadata/${CHAIN}/${ADDRESS}/42`, { method: 'HEAD', headers: { host: 'metadata.example.org' } })
    expect(probe.status).toBe(200)
    expect(probe.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/)
    const preflight = await fetch(`${base}/metadata/${CHAIN}/${ADDRESS}/42`, { method: 'OPTIONS', headers: { host: 'metadata.example.org', origin: 'https://market.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('If-None-Match')
    const write = await fetch(`${base}/ipfs/${head}`, { method: 'DELETE' })
    expect(write.status).toBe(405)
    expect(write.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    expect(((await write.json()) as { error: string }).error).toContain('DELETE is not answered')
  })

  // Last: it closes the database under the running API, as happens for a moment while a node stops.
  it('answers 503 with a message, not a 500, when the database has closed under a read', async () => {
    node.store.stop()
    const response = await fetch(`${base}/ipfs/${heads[0] ?? ''}`)
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ error: 'The node is stopping; try again once it runs.' })
  })
})
