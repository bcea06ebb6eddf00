import fs from 'node:fs'
import path from 'node:path'
import { importer } from 'ipfs-unixfs-importer'
import type { ImportCandidate } from 'ipfs-unixfs-importer'
import type { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../../src-main/api/index.js'
import { createBlockstore } from '../../../src-main/store/index.js'
import { ledgerReads } from '../../../src-main/lineage/tokens/index.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { startTestNode } from '../../helpers/test-node.js'
import type { TestNode } from '../../helpers/test-node.js'
import { entryNames, gatewayBytes, importTokens, listen, readEntry, rpc } from './helpers.js'

const COLLECTION = { chain_id: '137', token_address: '0x00000000000000000000000000000000000000ee' }
/**
 * Enough tokens that the folder with `.json` twins passes Kubo's 256 KiB (each link estimated as
 * its name plus a 36-byte CID: 3,500 × (3.6 + 36 + 8.6 + 36) ≈ 295 KB) while the plain folder
 * (≈ 139 KB) stays flat: the threshold is crossed by the option, not by the test's choice of size.
 */
const TOKENS = 3_500

interface Snapshot { root_cid: string, tokens: number, json_suffix: boolean, sharded: boolean }

/**
 * `ipfs add -r --cid-version=1 <folder>` as Kubo runs it, spelled out here rather than taken from
 * our module: CIDv1, raw leaves, Kubo's 256 KiB HAMT threshold estimated from link bytes, fanout
 * 256. The blocks go nowhere; only the root CID is compared.
 */
async function kuboRoot (folder: string): Promise<string> {
  // Opened as the importer asks for them (a stream opens its file at once).
  const files = function * (): Generator<ImportCandidate> {
    for (const name of fs.readdirSync(folder)) yield { path: `folder/${name}`, content: fs.createReadStream(path.join(folder, name)) }
  }
  let root: CID | undefined
  const discard = { put: async (cid: CID): Promise<CID> => cid }
  for await (const entry of importer(files(), discard, { cidVersion: 1, rawLeaves: true, shardSplitThresholdBytes: 262_144, shardSplitStrategy: 'links-bytes', shardFanoutBits: 8 })) root = entry.cid
  return root?.toString() ?? ''
}

describe(`a ${TOKENS.toLocaleString('en-US')}-token collection: HAMT sharding past Kubo's threshold, the same root as the importer on disk, and cancel`, () => {
  let t: TestNode
  let work: { dir: string, cleanup: () => void }
  /** The gateway's bytes of every token, written to disk as `<tokenId>`. */
  let onDisk: string

  beforeAll(async () => {
    work = tempDir()
    t = await startTestNode({ offline: true })
    await importTokens(t, work.dir, COLLECTION, TOKENS, id => ({ name: `Token #${id}`, attributes: [{ trait_type: 'tier', value: id % 7 }] }))
    onDisk = path.join(work.dir, 'gateway')
    fs.mkdirSync(onDisk)
    let next = 1
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let id = next++; id <= TOKENS; id = next++) fs.writeFileSync(path.join(onDisk, String(id)), await gatewayBytes(t, COLLECTION.chain_id, COLLECTION.token_address, String(id)))
    }))
  }, 120_000)
  afterAll(async () => {
    await t.stop()
    work.cleanup()
  })

  it('cancelled mid-way, leaves no block, pin or record, and its call answers cancelled', async () => {
    const count = (table: string): number => t.node.store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
    const [blocks, pins] = [count('blocks'), count('pins')]
    const socket = await listen(t)
    const creating = rpc(t, 'snapshot_create', [COLLECTION.chain_id, COLLECTION.token_address, { json_suffix: true }])
    await expect.poll(async () => ((await rpc<{ done: number }>(t, 'snapshot_status', [COLLECTION.chain_id, COLLECTION.token_address])).result?.done ?? 0), { timeout: 30_000, interval: 5 }).toBeGreaterThan(0)
    const cancelled = await rpc<{ running: boolean, done: number, total: number }>(t, 'snapshot_cancel', [COLLECTION.chain_id, COLLECTION.token_address])
    expect(cancelled.result).toMatchObject({ running: true, total: TOKENS })
    expect((cancelled.result?.done ?? 0)).toBeLessThan(TOKENS)
    expect(await creating).toMatchObject({ error: { code: RPC_ERROR_CODES.AbortError, data: { name: 'AbortError' } } })
    expect([count('blocks'), count('pins'), count('snapshots')]).toEqual([blocks, pins, 0])
    expect((await rpc(t, 'snapshot_status', [COLLECTION.chain_id, COLLECTION.token_address])).result).toEqual({ running: false, done: 0, total: 0 })
    // The UI follows it over the WebSocket: progress, then the failure with the cancel's code.
    await expect.poll(() => socket.heard.filter(h => h.method === 'lineage:snapshot:failed').length).toBe(1)
    socket.close()
    const progress = socket.heard.filter(h => h.method === 'lineage:snapshot:progress').map(h => h.params)
    expect(progress[0]).toEqual({ ...COLLECTION, done: expect.any(Number), total: TOKENS })
    expect(socket.heard.at(-1)).toEqual({ method: 'lineage:snapshot:failed', params: { ...COLLECTION, error: { code: RPC_ERROR_CODES.AbortError, message: 'The snapshot was aborted.' } } })
  })

  it('stays a flat folder under the threshold, with the root the importer gives for the gateway\'s files on disk', async () => {
    const socket = await listen(t)
    const plain = (await rpc<Snapshot>(t, 'snapshot_create', [COLLECTION.chain_id, COLLECTION.token_address])).result
    expect(plain).toMatchObject({ tokens: TOKENS, json_suffix: false, sharded: false })
    await expect.poll(() => socket.heard.at(-1)?.method).toBe('lineage:snapshot:done')
    socket.close()
    // The last progress before done carries the final totals; done is the call's own answer.
    expect(socket.heard.at(-2)).toEqual({ method: 'lineage:snapshot:progress', params: { ...COLLECTION, done: TOKENS, total: TOKENS } })
    expect(socket.heard.at(-1)?.params).toEqual({ ...COLLECTION, ...plain })
    // Same root CID: every entry holds the gateway's bytes, and the folder is built as Kubo builds it.
    expect(plain?.root_cid).toBe(await kuboRoot(onDisk))
  })

  it('is HAMT-sharded past it (with .json twins), readable by the stock exporter, again with the importer\'s root', async () => {
    const twins = path.join(work.dir, 'twins')
    fs.cpSync(onDisk, twins, { recursive: true })
    for (const name of fs.readdirSync(onDisk)) fs.copyFileSync(path.join(onDisk, name), path.join(twins, `${name}.json`))
    const sharded = (await rpc<Snapshot>(t, 'snapshot_create', [COLLECTION.chain_id, COLLECTION.token_address, { json_suffix: true }])).result
    expect(sharded).toMatchObject({ tokens: TOKENS, json_suffix: true, sharded: true })
    expect(sharded?.root_cid).toBe(await kuboRoot(twins))

    const blockstore = createBlockstore(t.node.store, { transactionRows: ledgerReads })
    const root = sharded?.root_cid ?? ''
    const names = await entryNames(blockstore, root)
    expect(names).toHaveLength(2 * TOKENS)
    expect(names.slice(0, 4)).toEqual(['1', '1.json', '2', '2.json'])
    for (const id of ['1', '1750', String(TOKENS)]) {
      const disk = fs.readFileSync(path.join(onDisk, id))
      expect(Buffer.from((await readEntry(blockstore, root, id)).bytes).equals(disk)).toBe(true)
      expect(Buffer.from((await readEntry(blockstore, root, `${id}.json`)).bytes).equals(disk)).toBe(true)
    }
    // GC keeps a sharded folder whole: every shard is followed (it frees nothing, so no shard went).
    expect((await rpc<{ freed: string[] }>(t, 'gc')).result?.freed).toEqual([])
    expect(Buffer.from((await readEntry(blockstore, root, '2999.json')).bytes).equals(fs.readFileSync(path.join(onDisk, '2999')))).toBe(true)
  })
})
