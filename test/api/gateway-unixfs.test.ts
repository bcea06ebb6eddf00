import { randomBytes } from 'node:crypto'
import { CarReader } from '@ipld/car'
import { exporter } from 'ipfs-unixfs-exporter'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore } from '../../src-main/store/index.js'
import { makePng } from '../helpers/png-car.js'
import { exchange, parseResponse } from '../helpers/raw-http.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { DAG_PB, importDirectory, memorySource, pbNode, putUnder, unixfsData } from '../helpers/unixfs.js'

const encoder = new TextEncoder()
const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value))
const IMMUTABLE = 'public, max-age=29030400, immutable'
const portOf = (url: string): number => Number(new URL(url).port)

interface Listing { cid: string, entries: Array<{ name: string, cid: string, size: number }>, next?: string }

/** Every block of a CAR, each checked against its CID as a trustless client checks it. */
async function verifiedBlocks (response: Response): Promise<{ roots: CID[], blocks: Array<{ cid: CID, bytes: Uint8Array }> }> {
  const reader = await CarReader.fromBytes(new Uint8Array(await response.arrayBuffer()))
  const blocks: Array<{ cid: CID, bytes: Uint8Array }> = []
  for await (const { cid, bytes } of reader.blocks()) {
    expect((await sha256.digest(bytes)).digest, cid.toString()).toEqual(cid.multihash.digest)
    blocks.push({ cid, bytes })
  }
  return { roots: await reader.getRoots(), blocks }
}

async function readFile (path: string, source: ReturnType<typeof memorySource>): Promise<Uint8Array> {
  const entry = await exporter(path, source)
  if (entry.type !== 'file' && entry.type !== 'raw') throw new Error(`${path} is a ${entry.type}`)
  const chunks: Uint8Array[] = []
  for await (const chunk of entry.content()) chunks.push(chunk)
  return new Uint8Array(Buffer.concat(chunks))
}

/**
 * `/ipfs/<dag-pb CID>/…` on a real node: UnixFS directories made by ipfs-unixfs-importer (plain,
 * nested and HAMT-sharded) in the node's own SQLite blockstore, read over real HTTP from the API
 * listener and the public gateway listener.
 */
describe('gateway: UnixFS paths', () => {
  let running: TestNode
  let api: string
  let pub: string
  let blockstore: SqliteBlockstore
  let dir: CID
  let hamt: CID
  const files = new Map<string, Uint8Array>()
  const hamtFiles = new Map<string, Uint8Array>()
  const png = new Uint8Array(makePng(8, 8))
  const big = randomBytes(5 * 1024 * 1024)

  beforeAll(async () => {
    running = await startTestNode({ gatewayHost: '127.0.0.1', gatewayPort: 0, gatewayRatePerSecond: 0 })
    api = running.base
    pub = running.node.status().publicGatewayUrl ?? ''
    blockstore = createBlockstore(running.node.store, { transactionRows: ledgerReads })
    files.set('42', json({ name: 'Token 42', image: 'ipfs://bafy/42.png' }))
    files.set('42.json', json({ name: 'Token 42' }))
    files.set('notes.txt', encoder.encode('plain words\n'))
    files.set('image.png', png)
    files.set('page.html', encoder.encode('<!doctype html><script>alert(1)</script>'))
    files.set('logo.svg', encoder.encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'))
    files.set('a b', encoder.encode('space'))
    files.set('é', encoder.encode('accent'))
    files.set('%41', encoder.encode('a literal percent'))
    files.set('sub/inner/7', json({ name: 'deep' }))
    files.set('big.bin', big)
    dir = await importDirectory(blockstore, [...files].map(([path, content]) => ({ path, content })))
    for (let i = 0; i < 1_000; i++) hamtFiles.set(String(i), json({ name: `Token ${i}` }))
    // A low threshold shards 1,000 entries (Kubo's 256 KiB needs about 5,000 of these).
    hamt = await importDirectory(blockstore, [...hamtFiles].map(([path, content]) => ({ path, content })), 4 * 1024)
  }, 60_000)
  afterAll(async () => { await running.stop() })

  it('serves a token document by name with its CID as ETag, immutable, CORS, X-Ipfs-Path and X-Ipfs-Roots, from both listeners', async () => {
    const leaf = CID.createV1(raw.code, await sha256.digest(files.get('42') as Uint8Array))
    for (const base of [api, pub]) {
      const response = await fetch(`${base}/ipfs/${dir.toString()}/42`, { headers: { host: 'gateway.example.org' } })
      expect(response.status).toBe(200)
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(files.get('42'))
      expect(Object.fromEntries(['content-type', 'etag', 'cache-control', 'access-control-allow-origin', 'x-content-type-options', 'x-ipfs-path', 'x-ipfs-roots', 'content-security-policy'].map(h => [h, response.headers.get(h)]))).toEqual({
        'content-type': 'application/json',
        etag: `"${leaf.toString()}"`,
        'cache-control': IMMUTABLE,
        'access-control-allow-origin': '*',
        'x-content-type-options': 'nosniff',
        'x-ipfs-path': `/ipfs/${dir.toString()}/42`,
        'x-ipfs-roots': `${dir.toString()},${leaf.toString()}`,
        'content-security-policy': 'sandbox',
      })
      const head = await fetch(`${base}/ipfs/${dir.toString()}/42`, { method: 'HEAD' })
      expect([head.status, head.headers.get('etag'), await head.text()]).toEqual([200, `"${leaf.toString()}"`, ''])
      const again = await fetch(`${base}/ipfs/${dir.toString()}/42`, { headers: { 'if-none-match': `"${leaf.toString()}"` } })
      expect([again.status, await again.text()]).toEqual([304, ''])
    }
  })

  it('follows nested and percent-encoded names, skips empty segments, and judges the media type by the bytes', async () => {
    const cases: Array<[string, string, Uint8Array | undefined]> = [
      ['sub/inner/7', 'application/json', files.get('sub/inner/7')],
      ['sub//inner///7', 'application/json', files.get('sub/inner/7')],
      ['a%20b', 'text/plain; charset=utf-8', files.get('a b')],
      ['%C3%A9', 'text/plain; charset=utf-8', files.get('é')],
      ['%2541', 'text/plain; charset=utf-8', files.get('%41')],
      ['notes.txt', 'text/plain; charset=utf-8', files.get('notes.txt')],
      ['image.png', 'image/png', png],
      // Markup never runs on the node's origin: HTML is text, and every file is sandboxed.
      ['page.html', 'text/plain; charset=utf-8', files.get('page.html')],
      ['logo.svg', 'image/svg+xml', files.get('logo.svg')],
      ['42.json', 'application/json', files.get('42.json')],
    ]
    for (const [path, type, bytes] of cases) {
      const response = await fetch(`${api}/ipfs/${dir.toString()}/${path}`)
      expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 200, type])
      expect(new Uint8Array(await response.arrayBuffer()), path).toEqual(bytes)
    }
    // A raw block named by its own CID (a file's leaf) is judged the same way.
    const leaf = CID.createV1(raw.code, await sha256.digest(png))
    const direct = await fetch(`${api}/ipfs/${leaf.toString()}`)
    expect([direct.status, direct.headers.get('content-type'), direct.headers.get('content-security-policy')]).toEqual([200, 'image/png', 'sandbox'])
    expect(new Uint8Array(await direct.arrayBuffer())).toEqual(png)
  })

  it('streams a multi-block file bigger than it buffers, byte for byte', async () => {
    const response = await fetch(`${api}/ipfs/${dir.toString()}/big.bin`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    expect(Buffer.from(await response.arrayBuffer()).equals(big)).toBe(true)
    const head = await fetch(`${api}/ipfs/${dir.toString()}/big.bin`, { method: 'HEAD' })
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'application/octet-stream', ''])
  })

  it('reads every entry of a HAMT-sharded directory by name', async () => {
    const root = await exporter(hamt, blockstore)
    expect(root.type === 'directory' ? root.unixfs.type : root.type).toBe('hamt-sharded-directory')
    for (const name of ['0', '42', '999', '500', '123']) {
      const response = await fetch(`${pub}/ipfs/${hamt.toString()}/${name}`)
      expect([name, response.status, response.headers.get('content-type')]).toEqual([name, 200, 'application/json'])
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(hamtFiles.get(name))
    }
  })

  it('lists a directory as JSON a page at a time: every entry of the HAMT once, following next', async () => {
    const plain = await (await fetch(`${api}/ipfs/${dir.toString()}/`)).json() as Listing
    expect(plain.cid).toBe(dir.toString())
    expect(plain.entries.map(e => e.name)).toEqual(['%41', '42', '42.json', 'a b', 'big.bin', 'image.png', 'logo.svg', 'notes.txt', 'page.html', 'sub', 'é'])
    expect(plain.entries.find(e => e.name === '42')).toEqual({ name: '42', cid: CID.createV1(raw.code, await sha256.digest(files.get('42') as Uint8Array)).toString(), size: (files.get('42') as Uint8Array).byteLength })
    expect(plain.next).toBeUndefined()

    const names: string[] = []
    let after: string | undefined
    let pages = 0
    do {
      const response = await fetch(`${api}/ipfs/${hamt.toString()}${after === undefined ? '' : `?after=${encodeURIComponent(after)}`}`)
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
      const page = await response.json() as Listing
      names.push(...page.entries.map(e => e.name))
      after = page.next
      pages++
    } while (after !== undefined)
    expect(pages).toBe(1)
    expect(names.sort()).toEqual([...hamtFiles.keys()].sort())
  })

  it('?format=raw with a path answers the block the path names', async () => {
    for (const [root, name] of [[dir, '42'], [hamt, '777'], [dir, 'sub']] as const) {
      const response = await fetch(`${api}/ipfs/${root.toString()}/${name}?format=raw`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/vnd.ipld.raw')
      const roots = (response.headers.get('x-ipfs-roots') ?? '').split(',')
      const target = CID.parse(roots.at(-1) ?? '')
      expect(response.headers.get('etag')).toBe(`"${target.toString()}.raw"`)
      const bytes = new Uint8Array(await response.arrayBuffer())
      expect((await sha256.digest(bytes)).digest).toEqual(target.multihash.digest)
      if (name !== 'sub') expect(bytes).toEqual((root === dir ? files : hamtFiles).get(name))
    }
  })

  it('?format=car with a path carries the blocks that prove the path, then the DAG at its end, as dag-scope says', async () => {
    // A HAMT path: the root shard and the shards on the way, then the file; no other entry.
    const one = await verifiedBlocks(await fetch(`${api}/ipfs/${hamt.toString()}/42?format=car`))
    expect(one.roots.map(String)).toEqual([hamt.toString()])
    expect(one.blocks.length).toBeLessThan(6)
    expect(await readFile(`${hamt.toString()}/42`, memorySource(one.blocks))).toEqual(hamtFiles.get('42'))
    await expect(readFile(`${hamt.toString()}/43`, memorySource(one.blocks))).rejects.toThrow()

    // A multi-block file through a nested path; block scope stops at the file's root block.
    const whole = await verifiedBlocks(await fetch(`${api}/ipfs/${dir.toString()}/big.bin?format=car&dag-scope=entity`))
    expect(Buffer.from(await readFile(`${dir.toString()}/big.bin`, memorySource(whole.blocks))).equals(big)).toBe(true)
    const block = await verifiedBlocks(await fetch(`${api}/ipfs/${dir.toString()}/big.bin?format=car&dag-scope=block`))
    expect(block.blocks.length).toBe(2)

    // entity on a HAMT: its shards, enough to list it, but none of its files.
    const listing = await verifiedBlocks(await fetch(`${api}/ipfs/${hamt.toString()}?format=car&dag-scope=entity`))
    const source = memorySource(listing.blocks)
    const entry = await exporter(hamt, source)
    const listed: string[] = []
    if (entry.type === 'directory') for await (const child of entry.entries()) listed.push(child.name)
    expect(listed.sort()).toEqual([...hamtFiles.keys()].sort())
    await expect(readFile(`${hamt.toString()}/1`, source)).rejects.toThrow()

    // all (the default) on the root: every file of the directory, readable from the CAR alone.
    const all = await fetch(`${api}/ipfs/${dir.toString()}?format=car`)
    expect(all.headers.get('etag')).toBe(`"${dir.toString()}.car"`)
    const everything = memorySource((await verifiedBlocks(all)).blocks)
    for (const [path, bytes] of files) expect(Buffer.from(await readFile(`${dir.toString()}/${path}`, everything)).equals(bytes), path).toBe(true)
  })

  it('refuses path tricks and unknown parameters with a 4xx in plain words', async () => {
    const long = 'x'.repeat(256)
    const cases: Array<[string, number, string]> = [
      [`/ipfs/${dir.toString()}/43`, 404, `/ipfs/${dir.toString()} has no "43"`],
      [`/ipfs/${dir.toString()}/42/name`, 404, 'is not a directory, so it has no "name"'],
      [`/ipfs/${dir.toString()}/sub/inner/8`, 404, `/ipfs/${dir.toString()}/sub/inner has no "8"`],
      [`/ipfs/${hamt.toString()}/1000`, 404, 'has no "1000"'],
      [`/ipfs/${dir.toString()}/sub%2Finner`, 400, 'No UnixFS name holds a slash'],
      [`/ipfs/${dir.toString()}/${long}`, 400, 'longer than the 255 bytes'],
      [`/ipfs/${dir.toString()}/${'a/'.repeat(33)}`, 400, 'limited to 32 segments'],
      [`/ipfs/${dir.toString()}/42?format=car&dag-scope=most`, 400, 'Unknown dag-scope "most"'],
      [`/ipfs/${dir.toString()}/42?format=car&entity-bytes=0:10`, 400, 'entity-bytes is not supported'],
      [`/ipfs/${dir.toString()}?after=nothing`, 404, 'no entry "nothing" to list after'],
      [`/ipfs/${dir.toString()}?after=a&after=b`, 400, 'Give ?after= once'],
      [`/ipfs/${CID.createV1(DAG_PB, await sha256.digest(encoder.encode('never stored'))).toString()}/42`, 404, 'does not hold'],
    ]
    for (const [path, status, text] of cases) {
      for (const base of [api, pub]) {
        const response = await fetch(base + path)
        expect([path, response.status]).toEqual([path, status])
        expect(response.headers.get('access-control-allow-origin')).toBe('*')
        expect(((await response.json()) as { error: string }).error, path).toContain(text)
      }
    }
    // fetch resolves dot segments (encoded ones too) itself; a client that does not reaches the node with them.
    for (const target of [`/ipfs/${dir.toString()}/sub/../42`, `/ipfs/${dir.toString()}/./42`, `/ipfs/${dir.toString()}/sub/%2E%2E/42`, `/ipfs/${dir.toString()}/sub/%2e/inner/7`, `/ipfs/${dir.toString()}/..`]) {
      const answer = parseResponse(await exchange(portOf(pub), `GET ${target} HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n`), 'GET')
      expect([target, answer.status]).toEqual([target, 400])
      expect((JSON.parse(answer.body.toString()) as { error: string }).error).toBe('A path may not hold . or .. segments: name each directory entry.')
    }
    // An absolute-form target and a fragment (which the router drops) name the same file (the
    // public listener refuses absolute-form targets outright).
    for (const target of [`${api}/ipfs/${dir.toString()}/sub/inner/7`, `/ipfs/${dir.toString()}/sub/inner/7#top`]) {
      const answer = parseResponse(await exchange(portOf(api), `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), 'GET')
      expect([target, answer.status, new Uint8Array(answer.body)]).toEqual([target, 200, files.get('sub/inner/7')])
    }
  })

  it('answers hostile and broken blocks with 404 or 422 in plain words, never a 5xx or a hang, and keeps serving', async () => {
    const leaf = await putUnder(blockstore, raw.code, encoder.encode('a leaf'))
    const garbage = await putUnder(blockstore, DAG_PB, encoder.encode('these bytes are not dag-pb'))
    const missing = CID.createV1(DAG_PB, await sha256.digest(encoder.encode('a block nobody holds')))
    const linksTo = async (name: string, cid: CID): Promise<CID> => await putUnder(blockstore, DAG_PB, pbNode([{ name, cid }], unixfsData({ type: 1 })))
    const toGarbage = await linksTo('bad', garbage)
    const toMissing = await linksTo('gone', missing)
    const slots = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'))
    const shard = async (fanout: number | bigint, links: Array<{ name: string, cid: CID }>): Promise<CID> => await putUnder(blockstore, DAG_PB, pbNode(links, unixfsData({ type: 5, fanout, data: new Uint8Array(32).fill(0xff) })))
    // Every slot of the root shard leads to a block that is not dag-pb.
    const brokenShard = await shard(256, slots.map(name => ({ name, cid: garbage })))
    // 256 slots, each to one shard of 256 slots, each to one empty shard: 65,793 reads to list.
    const empty = await shard(256, [])
    const middle = await shard(256, slots.map(name => ({ name, cid: empty })))
    const boom = await shard(256, slots.map(name => ({ name, cid: middle })))
    // A file whose sizes promise more than its one leaf holds.
    const liar = await putUnder(blockstore, DAG_PB, pbNode([{ name: '', cid: leaf, size: 6 }], unixfsData({ type: 2, fileSize: 1_000, blockSizes: [1_000] })))
    const toLiar = await linksTo('liar', liar)

    const cases: Array<[string, number, string]> = [
      [`/ipfs/${garbage.toString()}`, 422, 'is not valid UnixFS'],
      [`/ipfs/${garbage.toString()}/x`, 422, 'is not valid UnixFS'],
      [`/ipfs/${garbage.toString()}?format=car`, 422, 'is not valid UnixFS'],
      [`/ipfs/${toGarbage.toString()}/bad`, 422, 'is not valid UnixFS'],
      [`/ipfs/${toGarbage.toString()}/bad/deeper`, 422, 'is not valid UnixFS'],
      [`/ipfs/${toGarbage.toString()}/bad?format=car`, 422, 'is not valid UnixFS'],
      [`/ipfs/${toMissing.toString()}/gone`, 404, `This node does not hold block ${missing.toString()}`],
      [`/ipfs/${toMissing.toString()}/gone/deeper`, 404, `This node does not hold block ${missing.toString()}`],
      [`/ipfs/${toMissing.toString()}/gone?format=raw`, 404, `This node does not hold block ${missing.toString()}`],
      [`/ipfs/${toMissing.toString()}/gone?format=car`, 404, `This node does not hold block ${missing.toString()}`],
      [`/ipfs/${brokenShard.toString()}/42`, 422, 'is not valid UnixFS'],
      [`/ipfs/${boom.toString()}`, 400, 'is too large to read here'],
      [`/ipfs/${boom.toString()}/42`, 404, 'has no "42"'],
      [`/ipfs/${toLiar.toString()}/liar`, 422, 'is not valid UnixFS'],
    ]
    // Fanouts the exporter would size tables by (0 and 2^40 exhaust its memory), listed and walked.
    for (const fanout of [0, 1, 3, 2_048, 2n ** 40n]) {
      const bad = await shard(fanout, [{ name: '0042', cid: leaf }])
      cases.push([`/ipfs/${bad.toString()}/42`, 422, `fanout of ${String(fanout)}; a fanout must be a power of two from 2 to 1024`])
      cases.push([`/ipfs/${bad.toString()}`, 422, `fanout of ${String(fanout)}`])
    }
    for (const [path, status, text] of cases) {
      const response = await fetch(pub + path)
      expect([path, response.status]).toEqual([path, status])
      expect(response.headers.get('cache-control'), path).toBe('no-store')
      expect(((await response.json()) as { error: string }).error, path).toContain(text)
    }
    // The block itself is still served raw: only reading it as UnixFS fails.
    for (const path of [`/ipfs/${garbage.toString()}?format=raw`, `/ipfs/${toGarbage.toString()}/bad?format=raw`]) {
      const response = await fetch(pub + path)
      expect(response.status).toBe(200)
      expect(new TextDecoder().decode(await response.arrayBuffer())).toBe('these bytes are not dag-pb')
    }
    const block = await verifiedBlocks(await fetch(`${pub}/ipfs/${toGarbage.toString()}/bad?format=car&dag-scope=block`))
    expect(block.blocks.map(b => b.cid.toString())).toEqual([toGarbage.toString(), garbage.toString()])
    // A broken block below the target is met after the answer started: the stream is cut short
    // (as the trustless gateway spec says), so the client cannot take the CAR for whole.
    const cut = await fetch(`${pub}/ipfs/${toGarbage.toString()}?format=car`)
    expect(cut.status).toBe(200)
    await expect(cut.arrayBuffer()).rejects.toThrow()
    expect((await fetch(`${pub}/ipfs/${dir.toString()}/42`)).status).toBe(200)
  })

  // Last: it closes the database under the running listeners, as happens for a moment while a node stops.
  it('answers 503 with a message, not a 500, when the database has closed under a UnixFS read', async () => {
    running.node.store.stop()
    for (const base of [api, pub]) {
      const response = await fetch(`${base}/ipfs/${dir.toString()}/42`)
      expect([base, response.status]).toEqual([base, 503])
      expect(await response.json()).toEqual({ error: 'The node is stopping; try again once it runs.' })
    }
  })
})
