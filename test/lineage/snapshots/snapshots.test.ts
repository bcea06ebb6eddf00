import fs from 'node:fs'
import path from 'node:path'
import { CarReader } from '@ipld/car'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../../src-main/api/index.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { createDocumentStore } from '../../../src-main/api/index.js'
import { importCar } from '../../../src-main/dag/index.js'
import { createPins } from '../../../src-main/lineage/pins/index.js'
import { createSnapshots } from '../../../src-main/lineage/snapshots/index.js'
import { createBlockstore, createStore } from '../../../src-main/store/index.js'
import { ledgerReads } from '../../../src-main/lineage/tokens/index.js'
import { loadCountingFormatter } from '../../helpers/counting-formatter.js'
import { testLog } from '../../helpers/logger.js'
import { ed25519Signer } from '../../helpers/signers.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { startTestNode } from '../../helpers/test-node.js'
import type { TestNode } from '../../helpers/test-node.js'
import { entryNames, gatewayBytes, readEntry, rpc } from './helpers.js'

const ART = '0x00000000000000000000000000000000000000aa'
const EMPTY = '0x00000000000000000000000000000000000000bb'
const IDS = ['1', '2', '10', '42']

interface Snapshot { chain_id: string, token_address: string, token_key: string, root_cid: string, base_uri: string, created_at: string, tokens: number, bytes: number, json_suffix: boolean, sharded: boolean }

describe('ipfs:// snapshots of a collection, on a real node', () => {
  let t: TestNode
  let work: { dir: string, cleanup: () => void }
  const signer = ed25519Signer()
  const open = { method: 'metadata', chain_id: '1', token_address: ART, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
  const blockstore = (): ReturnType<typeof createBlockstore> => createBlockstore(t.node.store, { transactionRows: ledgerReads })
  const create = async (options?: { json_suffix?: boolean }): Promise<Snapshot> => {
    const answer = await rpc<Snapshot>(t, 'snapshot_create', options === undefined ? ['1', ART] : ['1', ART, options])
    expect(answer.error).toBeUndefined()
    return answer.result as Snapshot
  }
  let first: Snapshot
  let firstBytes42: Uint8Array

  beforeAll(async () => {
    work = tempDir()
    t = await startTestNode({ offline: true })
    const { lineage } = t.node
    lineage.publish(await signer.sign({ ...open, method: 'contract', token_id: '', data: '{}' }))
    lineage.publish(await signer.sign({ ...open, token_address: EMPTY, method: 'contract', token_id: '', data: '{}' }))
    for (const id of IDS) lineage.publish(await signer.sign({ ...open, token_id: id, data: JSON.stringify({ name: `Art #${id}`, description: 'café ✓', attributes: [{ trait_type: 'n', value: Number(id) }] }) }))
    // A second slot of token 2: the gateway merges it into the document, and so must the snapshot.
    lineage.publish(await signer.sign({ ...open, token_id: '2', alias: 'notes', data: JSON.stringify({ text: 'an aliased slot' }) }))
    await lineage.settled()
  })
  afterAll(async () => {
    await t.stop()
    work.cleanup()
  })

  it('builds a folder whose entry <tokenId> holds exactly the bytes GET /metadata serves, pinned under a dated name', async () => {
    first = await create()
    expect(first).toEqual({
      chain_id: '1',
      token_address: ART,
      token_key: t.node.lineage.tokenKey('1', ART),
      root_cid: expect.stringMatching(/^bafybei[a-z2-7]+$/),
      base_uri: `ipfs://${first.root_cid}/`,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      tokens: 4,
      bytes: expect.any(Number),
      json_suffix: false,
      sharded: false,
    })
    expect(await entryNames(blockstore(), first.root_cid)).toEqual(IDS)
    let documents = 0
    for (const id of IDS) {
      const entry = await readEntry(blockstore(), first.root_cid, id)
      expect(Buffer.from(entry.bytes).equals(Buffer.from(await gatewayBytes(t, '1', ART, id)))).toBe(true)
      // Raw leaves, CIDv1: a document's file is one raw block (bafkrei…), as `ipfs add --cid-version=1` makes it.
      expect(entry.cid).toMatch(/^bafkrei/)
      documents += entry.bytes.byteLength
    }
    expect(new TextDecoder().decode((await readEntry(blockstore(), first.root_cid, '2')).bytes)).toContain('an aliased slot')
    // The folder's blocks: the four documents and the directory node.
    expect(first.bytes).toBeGreaterThan(documents)
    firstBytes42 = (await readEntry(blockstore(), first.root_cid, '42')).bytes
    const pins = (await rpc<Array<{ cid: string, recursive: boolean, name: string, blocks: number, bytes: number }>>(t, 'pin_ls', [first.root_cid])).result
    expect(pins).toEqual([expect.objectContaining({ cid: first.root_cid, recursive: true, name: `snapshot 1/${ART} ${first.created_at.replace(/\.\d{3}Z$/, 'Z')}`, blocks: 5, bytes: first.bytes })])
    expect(await rpc(t, 'snapshot_status', ['1', ART])).toEqual(expect.objectContaining({ result: { running: false, done: 0, total: 0 } }))
  })

  it('adds <tokenId>.json beside <tokenId> as the same file (no extra block), and lists snapshots newest first', async () => {
    const suffixed = await create({ json_suffix: true })
    expect(suffixed).toMatchObject({ tokens: 4, json_suffix: true, sharded: false, bytes: expect.any(Number) })
    expect(suffixed.root_cid).not.toBe(first.root_cid)
    expect(await entryNames(blockstore(), suffixed.root_cid)).toEqual(['1', '1.json', '2', '2.json', '10', '10.json', '42', '42.json'])
    for (const id of IDS) {
      const [plain, json] = [await readEntry(blockstore(), suffixed.root_cid, id), await readEntry(blockstore(), suffixed.root_cid, `${id}.json`)]
      expect(json.cid).toBe(plain.cid)
      expect(plain.cid).toBe((await readEntry(blockstore(), first.root_cid, id)).cid)
    }
    // Only the directory node is new: the documents' blocks are shared with the first snapshot.
    expect(suffixed.bytes - first.bytes).toBeLessThan(400)
    expect((await rpc<Snapshot[]>(t, 'snapshot_ls', ['1', ART])).result?.map(s => s.root_cid)).toEqual([suffixed.root_cid, first.root_cid])
    expect((await rpc<Snapshot[]>(t, 'snapshot_ls')).result).toEqual((await rpc<Snapshot[]>(t, 'snapshot_ls', { chain_id: '1', token_address: ART })).result)
    // The node hands the same list to its other parts (what it provides and names).
    expect(t.node.snapshots.ls({ chain_id: '1', token_address: ART })).toEqual((await rpc<Snapshot[]>(t, 'snapshot_ls', ['1', ART])).result)
  })

  it('gives the same root for the same content; an edited token changes the next root while the old snapshot keeps the old bytes', async () => {
    const again = await create()
    expect(again.root_cid).toBe(first.root_cid)
    // Taken again: dated anew, not listed twice.
    const listed = (await rpc<Snapshot[]>(t, 'snapshot_ls', ['1', ART])).result ?? []
    expect(listed.map(s => s.root_cid)).toEqual([first.root_cid, expect.any(String)])
    expect(listed[0]?.created_at).toBe(again.created_at)

    // The collection gets an IPNS name at this snapshot; the next snapshot moves it (the node's wiring).
    const named = (await rpc<{ name: string, value: string, sequence: number }>(t, 'ipns_publish', ['1', ART, first.root_cid])).result
    expect(named?.value).toBe(`/ipfs/${first.root_cid}`)

    t.node.lineage.publish(await signer.sign({ ...open, token_id: '42', data: JSON.stringify({ name: 'Art #42, revealed' }) }))
    await t.node.lineage.settled()
    const edited = await create()
    expect(edited.root_cid).not.toBe(first.root_cid)
    await expect.poll(async () => (await rpc<Array<{ name: string, value: string, sequence: number }>>(t, 'ipns_ls')).result).toEqual([expect.objectContaining({ name: named?.name, value: `/ipfs/${edited.root_cid}`, sequence: (named?.sequence ?? 0) + 1 })])
    const now = await gatewayBytes(t, '1', ART, '42')
    expect(new TextDecoder().decode(now)).toContain('revealed')
    expect(Buffer.from((await readEntry(blockstore(), edited.root_cid, '42')).bytes).equals(Buffer.from(now))).toBe(true)
    expect(Buffer.from((await readEntry(blockstore(), first.root_cid, '42')).bytes).equals(Buffer.from(firstBytes42))).toBe(true)
    for (const id of ['1', '2', '10']) expect((await readEntry(blockstore(), edited.root_cid, id)).cid).toBe((await readEntry(blockstore(), first.root_cid, id)).cid)
  })

  it('uses the gateway\'s kept documents while they are current, and formats only the tokens changed since', async () => {
    const formatter = await loadCountingFormatter()
    const { store, lineage, exporter, config } = t.node
    const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
    const snapshots = createSnapshots({
      store,
      blockstore,
      lineage,
      formatter,
      // The node's own formatter build, as the node names it: documents made by another are not used.
      documents: createDocumentStore(store.db, { formatterId: bytesToHex(sha256(fs.readFileSync(path.join(config.servicesDir, 'formatter.wasm')))).slice(0, 32) }),
      pins: createPins({ store, blockstore, log: testLog }),
      exporter,
      log: testLog,
    })
    try {
      for (const id of IDS) await gatewayBytes(t, '1', ART, id)
      // The gateway keeps what it formatted in the database shortly after (a batched write).
      // A kept row is current for its slots by the schema (migration 14's triggers).
      const current = store.db.prepare('SELECT count(*) FROM token_documents WHERE dictionary IN (SELECT id FROM document_dictionaries WHERE token_key = ?)').pluck()
      await expect.poll(() => current.get(lineage.tokenKey('1', ART)), { timeout: 10_000, interval: 20 }).toBe(IDS.length)
      const warm = await snapshots.create({ chain_id: '1', token_address: ART })
      expect(formatter.calls).toBe(0)
      expect(warm.root_cid).toBe((await create()).root_cid)

      t.node.lineage.publish(await signer.sign({ ...open, token_id: '10', data: JSON.stringify({ name: 'Art #10, retouched' }) }))
      await t.node.lineage.settled()
      const changed = await snapshots.create({ chain_id: '1', token_address: ART })
      expect(formatter.calls).toBe(1)
      for (const id of IDS) expect(Buffer.from((await readEntry(blockstore, changed.root_cid, id)).bytes).equals(Buffer.from(await gatewayBytes(t, '1', ART, id)))).toBe(true)
      expect(changed.root_cid).toBe((await create()).root_cid)
    } finally {
      formatter.terminate()
    }
  })

  it('refuses a collection over the size limit, and a second snapshot of a collection while one is taken, keeping nothing', async () => {
    const formatter = await loadCountingFormatter()
    const { store, lineage, exporter } = t.node
    const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
    const parts = { store, blockstore, lineage, formatter, pins: createPins({ store, blockstore, log: testLog }), exporter, log: testLog }
    const count = (table: string): number => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
    const before = [count('blocks'), count('pins'), count('snapshots')]
    try {
      await expect(createSnapshots(parts, { maxTokens: 3 }).create({ chain_id: '1', token_address: ART })).rejects.toMatchObject({ name: 'SnapshotTooLargeError', message: 'The collection has 4 tokens; a snapshot holds at most 3.' })
      // One token a page: the first run is still going when the second asks.
      const snapshots = createSnapshots(parts, { pageTokens: 1 })
      const first = snapshots.create({ chain_id: '1', token_address: ART }, { jsonSuffix: true })
      await expect(snapshots.create({ chain_id: '1', token_address: ART.toUpperCase().replace('0X', '0x') })).rejects.toMatchObject({ name: 'SnapshotBusyError' })
      expect(snapshots.cancel({ chain_id: '1', token_address: ART })).toMatchObject({ running: true, total: 4 })
      await expect(first).rejects.toMatchObject({ name: 'AbortError' })
      expect([count('blocks'), count('pins'), count('snapshots')]).toEqual(before)
    } finally {
      formatter.terminate()
    }
  })

  it('exports a snapshot as a CAR with its one root, which imports into a fresh store and reads back the same bytes', async () => {
    const file = path.join(work.dir, 'snapshot.car')
    const exported = await rpc<{ path: string, roots: string[], blocks: number, bytes: number }>(t, 'snapshot_export_car', [first.root_cid, file])
    expect(exported.result).toEqual({ path: file, roots: [first.root_cid], blocks: 5, bytes: first.bytes })
    const reader = await CarReader.fromBytes(fs.readFileSync(file))
    expect((await reader.getRoots()).map(String)).toEqual([first.root_cid])

    const store = createStore({ log: testLog }, { dataDir: path.join(work.dir, 'fresh') })
    store.start()
    try {
      const imported = await importCar(createBlockstore(store, { transactionRows: ledgerReads }), (async function * () { yield fs.readFileSync(file) })())
      expect(imported.roots.map(String)).toEqual([first.root_cid])
      for (const id of IDS) {
        expect(Buffer.from((await readEntry(createBlockstore(store, { transactionRows: ledgerReads }), first.root_cid, id)).bytes).equals(Buffer.from((await readEntry(blockstore(), first.root_cid, id)).bytes))).toBe(true)
      }
    } finally {
      store.stop()
    }
    expect(await rpc(t, 'snapshot_export_car', [first.root_cid, file])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, data: { field: 'path' } } })
    expect(await rpc(t, 'snapshot_export_car', [first.root_cid, 'relative.car'])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, data: { field: 'path' } } })
  })

  it('keeps snapshot blocks through GC; snapshot_rm unpins and forgets one, and the next GC frees what only it kept', async () => {
    const before = (await rpc<Snapshot[]>(t, 'snapshot_ls')).result ?? []
    expect((await rpc<{ freed: string[] }>(t, 'gc')).result?.freed).toEqual([])
    for (const s of before) for (const id of IDS) expect((await readEntry(blockstore(), s.root_cid, id)).bytes.byteLength).toBeGreaterThan(0)

    // The collection's IPNS name points at its newest snapshot: that one is refused, nothing changes.
    const [named] = (await rpc<Array<{ name: string, value: string }>>(t, 'ipns_ls')).result ?? []
    const namedRoot = named?.value.replace('/ipfs/', '') ?? ''
    expect(await rpc(t, 'snapshot_rm', [namedRoot])).toMatchObject({ error: { code: RPC_ERROR_CODES.SnapshotNamedError, message: expect.stringContaining(`The IPNS name ${named?.name ?? ''} points at the snapshot ${namedRoot}`), data: { name: 'SnapshotNamedError' } } })
    expect((await rpc<Snapshot[]>(t, 'snapshot_ls')).result?.map(s => s.root_cid)).toEqual(before.map(s => s.root_cid))
    expect((await rpc<unknown[]>(t, 'pin_ls', [namedRoot])).result).toHaveLength(1)

    const removed = await rpc<Snapshot[]>(t, 'snapshot_rm', [first.root_cid])
    expect(removed.result).toEqual([expect.objectContaining({ root_cid: first.root_cid, token_address: ART })])
    expect((await rpc(t, 'pin_ls', [first.root_cid])).result).toEqual([])
    expect((await rpc<Snapshot[]>(t, 'snapshot_ls')).result?.map(s => s.root_cid)).toEqual(before.map(s => s.root_cid).filter(cid => cid !== first.root_cid))
    const freed = (await rpc<{ freed: string[] }>(t, 'gc')).result?.freed ?? []
    // Its folder node goes; the old token 42's document is still kept by the json_suffix snapshot.
    expect(freed).toEqual([first.root_cid])
    await expect(readEntry(blockstore(), first.root_cid, '1')).rejects.toThrow()
    for (const s of before.filter(s => s.root_cid !== first.root_cid)) for (const id of IDS) expect((await readEntry(blockstore(), s.root_cid, id)).bytes.byteLength).toBeGreaterThan(0)
    expect(await rpc(t, 'snapshot_rm', [first.root_cid])).toMatchObject({ error: { code: RPC_ERROR_CODES.SnapshotNotFoundError, data: { name: 'SnapshotNotFoundError' } } })
  })

  it('refuses an unknown or empty collection and bad params with named errors, changing nothing', async () => {
    const pins = (await rpc<unknown[]>(t, 'pin_ls')).result
    const listed = (await rpc<unknown[]>(t, 'snapshot_ls')).result
    expect(await rpc(t, 'snapshot_create', ['1', '0x00000000000000000000000000000000000000cc'])).toMatchObject({ error: { code: RPC_ERROR_CODES.SnapshotCollectionError, message: expect.stringContaining('no collection 0x00000000000000000000000000000000000000cc on chain 1'), data: { name: 'SnapshotCollectionError' } } })
    expect(await rpc(t, 'snapshot_create', ['1', EMPTY])).toMatchObject({ error: { code: RPC_ERROR_CODES.EmptyCollectionError, message: expect.stringContaining('has no token with metadata yet'), data: { name: 'EmptyCollectionError' } } })
    expect(await rpc(t, 'snapshot_create', ['one', ART])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, data: { field: 'chain_id' } } })
    expect(await rpc(t, 'snapshot_create', ['1', '0x12'])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, data: { field: 'token_address' } } })
    expect(await rpc(t, 'snapshot_create', ['1', ART, { json: true }])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, data: { field: 'options' } } })
    expect(await rpc(t, 'snapshot_ls', ['1'])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, data: { field: 'token_address' } } })
    expect(await rpc(t, 'snapshot_rm', ['not-a-cid'])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, message: expect.stringContaining('root_cid is not a valid CID'), data: { field: 'root_cid' } } })
    expect(await rpc(t, 'snapshot_export_car', ['bafkqaaa', path.join(work.dir, 'none.car')])).toMatchObject({ error: { code: RPC_ERROR_CODES.SnapshotNotFoundError } })
    expect(fs.existsSync(path.join(work.dir, 'none.car'))).toBe(false)
    expect((await rpc(t, 'pin_ls')).result).toEqual(pins)
    expect((await rpc(t, 'snapshot_ls')).result).toEqual(listed)
  })
})
