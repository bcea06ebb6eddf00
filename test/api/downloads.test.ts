/**
 * Browser-mode backups (POST /downloads, GET /downloads/<ticket>) on a real node process: the
 * downloaded bytes are the very CAR `lineage-node export --token-key` writes for the same
 * collection (same roots, same blocks, every block's bytes matching its CID); opening a download
 * needs the API token and the node's own origin; the link works once; a collection the node holds
 * nothing of is refused in words; a page of another site cannot follow a link.
 */
import fs from 'node:fs'
import path from 'node:path'
import { CarReader } from '@ipld/car/reader'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { runCli, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { ownerCaller } from '../helpers/rpc.js'
import { documentsOf, importFolderCollection } from '../helpers/collection.js'
import { tempDir } from '../helpers/temp-dir.js'

const COLLECTION = { chain_id: '1', token_address: '0x1f9840a85d5af5bf1d1762f925bdaddc4201f984' }
const PASSPHRASE = 'correct horse battery'
const TOKENS = 25

describe('browser downloads of a collection\'s CAR (real node process)', () => {
  let node: StartedNode
  let dir: string
  let dataDir: string
  let tokenKey: string
  let cleanup: () => void
  const call = ownerCaller(() => node)
  const open = async (query: string, headers: Record<string, string> = { authorization: `Bearer ${node.token}` }): Promise<{ status: number, json: Record<string, unknown> }> => {
    const response = await fetch(`${node.url}/downloads${query}`, { method: 'POST', headers })
    return { status: response.status, json: await response.json() as Record<string, unknown> }
  }

  beforeAll(async () => {
    ;({ dir, cleanup } = tempDir())
    dataDir = path.join(dir, 'node')
    node = await startNodeProcess(['--data-dir', dataDir, ...TEST_NODE_ARGS, '--offline'], 90_000)
    await importFolderCollection(call, { ...COLLECTION, meta_contract_id: 'open', key: 'studio', passphrase: PASSPHRASE, folder: path.join(dir, 'art'), documents: documentsOf(TOKENS, i => ({ name: `Lantern ${i}`, attributes: [{ trait_type: 'Fur', value: i % 2 === 0 ? 'Red' : 'Blue' }] })) })
    tokenKey = (await call<{ token_key: string, total: number }>('browse_tokens', COLLECTION, { facets: false })).token_key
  }, 180_000)
  afterAll(async () => {
    node?.child.kill('SIGTERM')
    await node?.exited
    cleanup?.()
  })

  it('downloads the same CAR `lineage-node export` writes: same roots, same blocks, same bytes', async () => {
    const opened = await open(`?token_key=${encodeURIComponent(tokenKey)}&name=${encodeURIComponent('lineage-1-0x1f98 (copy)')}`)
    expect(opened.status).toBe(201)
    expect(opened.json).toMatchObject({ url: expect.stringMatching(/^\/downloads\/[A-Za-z0-9_-]{32}$/) as unknown, name: 'lineage-1-0x1f98-copy-.car', heads: TOKENS, pins: 0 })
    const response = await fetch(`${node.url}${opened.json.url as string}`, { headers: { 'sec-fetch-site': 'same-origin' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/vnd.ipld.car; version=1')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="lineage-1-0x1f98-copy-.car"')
    const downloaded = new Uint8Array(await response.arrayBuffer())

    const file = path.join(dir, 'cli.car')
    const exported = await runCli(['export', '--car', file, '--token-key', tokenKey, '--data-dir', dataDir])
    expect(exported.code).toBe(0)
    const written = new Uint8Array(fs.readFileSync(file))

    const [a, b] = await Promise.all([CarReader.fromBytes(downloaded), CarReader.fromBytes(written)])
    expect((await a.getRoots()).map(String)).toEqual((await b.getRoots()).map(String))
    expect((await a.getRoots()).map(String)).toEqual(opened.json.roots)
    const blocksOf = async (reader: CarReader): Promise<string[]> => {
      const cids: string[] = []
      for await (const { cid, bytes } of reader.blocks()) {
        // Every block is what its CID names.
        expect(Buffer.from((await sha256.digest(bytes)).digest).equals(Buffer.from(cid.multihash.digest))).toBe(true)
        cids.push(cid.toString())
      }
      return cids
    }
    const blocks = await blocksOf(a)
    expect(blocks).toEqual(await blocksOf(b))
    expect(blocks.length).toBeGreaterThan(TOKENS)
    expect(Buffer.from(downloaded).equals(Buffer.from(written))).toBe(true)

    // Kept with the other exports in the creator's history, as the bytes the browser got.
    const history = await call<Array<{ kind: string, format: string, state: string, path: string, bytes: number, blocks: number, transactions: number }>>('job_history')
    const kept = history.filter(job => job.kind === 'export' && job.path.endsWith('(browser download)'))
    expect(kept).toEqual([expect.objectContaining({ format: 'car', state: 'done', path: 'lineage-1-0x1f98-copy-.car (browser download)', blocks: blocks.length, transactions: opened.json.transactions })])
    expect(kept[0]?.bytes).toBeGreaterThan(0)
    expect(kept[0]?.bytes).toBeLessThanOrEqual(downloaded.length)

    // A link works once.
    const again = await fetch(`${node.url}${opened.json.url as string}`)
    expect(again.status).toBe(404)
    expect((await again.json() as { error: string }).error).toBe('This download link was used already or has expired (a link lasts a minute). Start the export again.')
  })

  it('refuses a request without the token, from another site, or for a collection the node holds nothing of', async () => {
    const query = `?token_key=${encodeURIComponent(tokenKey)}`
    expect(await open(query, {})).toEqual({ status: 401, json: { error: 'Downloads need the node\'s access token (Authorization: Bearer <token>).' } })
    expect(await open(query, { authorization: `Bearer ${'0'.repeat(64)}` })).toMatchObject({ status: 401 })
    expect(await open(query, { authorization: `Bearer ${node.token}`, origin: 'https://evil.example' })).toEqual({ status: 403, json: { error: 'Downloads are only given to the node\'s own UI.' } })
    const unknown = await open('?token_key=no-such-collection')
    expect(unknown).toEqual({ status: 404, json: { error: 'There is nothing to export: collection no-such-collection has no slots on this node.' } })
    expect(await open(`?token_key=${'x'.repeat(129)}`)).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^token_key: /) as unknown } })

    // A link another site's page makes the browser follow is refused, and stays unused.
    const opened = await open(query)
    const foreign = await fetch(`${node.url}${opened.json.url as string}`, { headers: { 'sec-fetch-site': 'cross-site' } })
    expect(foreign.status).toBe(403)
    const own = await fetch(`${node.url}${opened.json.url as string}`)
    expect(own.status).toBe(200)
    expect((await own.arrayBuffer()).byteLength).toBeGreaterThan(1000)
    // A made-up ticket.
    expect((await fetch(`${node.url}/downloads/${'A'.repeat(32)}`)).status).toBe(404)
  })
})
