import * as dagCbor from '@ipld/dag-cbor'
import { afterEach, describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { LATEST_SCHEMA_VERSION, MIGRATIONS, createBlockstore, createStore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore, Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

async function rawBlock (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

const count = (store: Store): number => (store.db.prepare('SELECT count(*) AS n FROM blocks').get() as { n: number }).n

describe('SqliteBlockstore', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })

  const open = (dir?: string): { store: Store, blocks: SqliteBlockstore, dir: string } => {
    let dataDir = dir
    if (dataDir === undefined) {
      const t = tempDir()
      cleanups.push(t.cleanup)
      dataDir = t.dir
    }
    const store = createStore({ log: testLog }, { dataDir })
    store.start()
    cleanups.unshift(() => { store.stop() })
    return { store, blocks: createBlockstore(store, { transactionRows: ledgerReads }), dir: dataDir }
  }

  it('migration 2 creates the blocks table keyed by multihash (16 adds where elided data goes back)', () => {
    const { store } = open()
    const columns = store.db.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY cid').all('blocks')
    expect(columns).toEqual([
      { name: 'multihash', pk: 1 },
      { name: 'codec', pk: 0 },
      { name: 'bytes', pk: 0 },
      { name: 'size', pk: 0 },
      { name: 'created_at', pk: 0 },
      { name: 'elided_tx', pk: 0 },
      { name: 'elided_content', pk: 0 },
    ])
  })

  it('migration 2 upgrades a version 1 database and keeps its settings', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const v1 = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, 1) })
    v1.start()
    v1.setSetting('name', 'kept')
    expect(v1.db.prepare("SELECT name FROM sqlite_master WHERE name = 'blocks'").get()).toBeUndefined()
    v1.stop()
    const { store, blocks } = open(t.dir)
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(store.getSetting('name')).toBe('kept')
    const a = await rawBlock('after upgrade')
    blocks.putSync(a.cid, a.bytes)
    expect(blocks.getSync(a.cid)).toEqual(a.bytes)
  })

  it('puts, gets and checks blocks synchronously, storing size and time', async () => {
    const { store, blocks } = open()
    const a = await rawBlock('alpha')
    const before = Date.now()
    expect(blocks.putSync(a.cid, a.bytes)).toBe(true)
    expect(blocks.hasSync(a.cid)).toBe(true)
    expect(blocks.getSync(a.cid)).toEqual(a.bytes)
    const row = store.db.prepare('SELECT size, created_at AS createdAt, codec FROM blocks').get() as { size: number, createdAt: number, codec: number }
    expect(row.size).toBe(5)
    expect(row.codec).toBe(raw.code)
    expect(row.createdAt).toBeGreaterThanOrEqual(before)
    const missing = await rawBlock('missing')
    expect(blocks.hasSync(missing.cid)).toBe(false)
    expect(blocks.getSync(missing.cid)).toBeUndefined()
  })

  it('treats putting an existing block as a no-op', async () => {
    const { store, blocks } = open()
    const a = await rawBlock('alpha')
    expect(blocks.putSync(a.cid, a.bytes)).toBe(true)
    const first = store.db.prepare('SELECT created_at AS t FROM blocks').get()
    expect(blocks.putSync(a.cid, a.bytes)).toBe(false)
    expect(blocks.putManySync([a, a])).toBe(0)
    expect(count(store)).toBe(1)
    expect(store.db.prepare('SELECT created_at AS t FROM blocks').get()).toEqual(first)
  })

  it('finds a block by any CID of the same multihash', async () => {
    const { blocks } = open()
    const a = await rawBlock('alpha')
    blocks.putSync(a.cid, a.bytes)
    const asDagCbor = CID.createV1(dagCbor.code, a.cid.multihash)
    expect(blocks.hasSync(asDagCbor)).toBe(true)
    expect(blocks.getSync(asDagCbor)).toEqual(a.bytes)
  })

  it('putManySync stores a batch and reports how many were new', async () => {
    const { store, blocks } = open()
    const list = await Promise.all(['a', 'b', 'c'].map(rawBlock))
    blocks.putSync(list[0]!.cid, list[0]!.bytes)
    expect(blocks.putManySync(list)).toBe(2)
    expect(count(store)).toBe(3)
  })

  it('leaves nothing behind when the surrounding transaction rolls back', async () => {
    const { store, blocks } = open()
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(rawBlock))
    const write = store.db.transaction(() => {
      blocks.putSync(a!.cid, a!.bytes)
      blocks.putManySync([b!, c!])
      store.setSetting('head', a!.cid.toString())
      expect(blocks.hasSync(a!.cid)).toBe(true) // visible inside the transaction
      throw new Error('validator rejected the transaction')
    })
    expect(() => { write() }).toThrowError('validator rejected the transaction')
    expect(count(store)).toBe(0)
    expect(blocks.hasSync(a!.cid)).toBe(false)
    expect(store.getSetting('head')).toBeUndefined()
  })

  it('commits blocks together with other rows', async () => {
    const { store, blocks } = open()
    const a = await rawBlock('a')
    store.db.transaction(() => {
      blocks.putSync(a.cid, a.bytes)
      store.setSetting('head', a.cid.toString())
    })()
    expect(blocks.hasSync(a.cid)).toBe(true)
    expect(store.getSetting('head')).toBe(a.cid.toString())
  })

  it('keeps blocks across a restart and works with the reopened connection', async () => {
    const first = open()
    const a = await rawBlock('persisted')
    first.blocks.putSync(a.cid, a.bytes)
    first.store.stop()
    first.store.start()
    expect(first.blocks.getSync(a.cid)).toEqual(a.bytes)
  })

  it('getAll pages through every block and rebuilds CIDs with their codec', async () => {
    const { blocks } = open()
    const list = await Promise.all(Array.from({ length: 150 }, async (_, i) => await rawBlock(`block ${i}`)))
    blocks.putManySync(list)
    const cbor = dagCbor.encode({ hello: 'world' })
    const cborCid = CID.createV1(dagCbor.code, await sha256.digest(cbor))
    blocks.putSync(cborCid, cbor)
    const seen: string[] = []
    for await (const { cid, bytes } of blocks.getAll()) {
      seen.push(cid.toString())
      const chunks: Uint8Array[] = []
      for await (const chunk of bytes) chunks.push(chunk)
      expect(chunks).toHaveLength(1)
    }
    expect(seen).toEqual([...list.map(b => b.cid.toString()), cborCid.toString()])
  })

  it('staging keeps blocks out of the blockstore until commit, and discard drops them', async () => {
    const { store, blocks } = open()
    const [a, b] = await Promise.all(['a', 'b'].map(rawBlock))
    const dropped = blocks.createStaging()
    dropped.addSync([a!, b!])
    expect(count(store)).toBe(0)
    dropped.discardSync()
    expect(count(store)).toBe(0)

    blocks.putSync(a!.cid, a!.bytes)
    const kept = blocks.createStaging()
    kept.addSync([a!, b!, b!])
    expect(kept.commitSync()).toBe(1)
    expect(count(store)).toBe(2)
    expect(blocks.getSync(b!.cid)).toEqual(b!.bytes)
    expect(store.db.prepare("SELECT count(*) AS n FROM temp.sqlite_master WHERE name LIKE 'block_staging_%'").get()).toEqual({ n: 0 })
  })
})
