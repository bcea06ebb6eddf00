import fs from 'node:fs'
import path from 'node:path'
import { CarReader } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import type { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ed25519Signer } from '../../helpers/signers.js'
import { startTestNode } from '../../helpers/test-node.js'
import type { TestNode } from '../../helpers/test-node.js'
import { tempDir } from '../../helpers/temp-dir.js'

const ADDRESS = '0x00000000000000000000000000000000000000e1'
const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const

describe('exporter', () => {
  let node: TestNode
  let out: { dir: string, cleanup: () => void }
  const signer = ed25519Signer()
  const tempTables = (): string[] => node.node.store.db.prepare("SELECT name FROM sqlite_temp_master WHERE type = 'table'").pluck().all() as string[]

  beforeAll(async () => {
    out = tempDir()
    node = await startTestNode()
    node.node.lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
    for (let id = 0; id < 300; id++) node.node.lineage.publish(await signer.sign({ ...base, token_id: String(id), data: JSON.stringify({ name: `#${id}` }) }))
    await node.node.lineage.settled()
  })
  afterAll(async () => {
    await node.stop()
    out.cleanup()
  })

  it('a cancel mid-way throws AbortError and leaves no file, no partial file and no TEMP tables', async () => {
    const controller = new AbortController()
    const file = path.join(out.dir, 'cancelled.car')
    let seen = 0
    await expect(node.node.exporter.export({ path: file }, { signal: controller.signal, onProgress: e => { seen = e.blocks; if (e.blocks === 50) controller.abort() } })).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen).toBe(50)
    expect(fs.readdirSync(out.dir)).toEqual([])
    expect(tempTables()).toEqual([])
  })

  it('holds what the node held when it began: writes landing while it streams are in the next export, not this one', async () => {
    const file = path.join(out.dir, 'snapshot.car')
    const heads = node.node.store.db.prepare('SELECT DISTINCT head_cid FROM slots ORDER BY head_cid').pluck().all() as string[]
    const late = [await signer.sign({ ...base, token_id: '999', data: '{"name":"late"}' }), await signer.sign({ ...base, token_id: '0', data: '{"name":"#0, late"}' })]
    let wrote = false
    const result = await node.node.exporter.export({ path: file }, {
      onProgress: e => {
        if (e.blocks !== 10) return
        // A new token and a new version of an old one, committed while the export streams.
        for (const request of late) node.node.lineage.publish(request)
        wrote = true
      },
    })
    await node.node.lineage.settled()
    expect(wrote).toBe(true)
    expect(node.node.store.db.prepare("SELECT count(*) FROM receipts WHERE status = 'applied'").pluck().get()).toBe(303)
    expect(result).toMatchObject({ transactions: 301, heads: heads.length })
    const reader = await CarReader.fromBytes(fs.readFileSync(file))
    const root = dagCbor.decode((await reader.get((await reader.getRoots())[0] as CID))?.bytes ?? new Uint8Array()) as { count: number, heads: CID[] }
    expect(root.count).toBe(301)
    const listed = dagCbor.decode((await reader.get(root.heads[0] as CID))?.bytes ?? new Uint8Array()) as { heads: CID[] }
    expect(listed.heads.map(String)).toEqual(heads)
    expect(tempTables()).toEqual([])
  })

  it('a head whose block is gone fails the export naming the block, and leaves no file', async () => {
    const head = node.node.store.db.prepare('SELECT head_cid FROM slots ORDER BY head_cid LIMIT 1').pluck().get() as string
    const file = path.join(out.dir, 'missing.car')
    const { CID } = await import('multiformats/cid')
    const block = node.node.store.db.prepare('SELECT * FROM blocks WHERE multihash = ?').get(CID.parse(head).multihash.bytes) as Record<string, unknown>
    node.node.store.db.prepare('DELETE FROM blocks WHERE multihash = ?').run(CID.parse(head).multihash.bytes)
    try {
      await expect(node.node.exporter.export({ path: file })).rejects.toMatchObject({ name: 'BlockNotFoundError', message: `Block ${head} is not in the blockstore.` })
      expect(fs.existsSync(file)).toBe(false)
      expect(fs.readdirSync(out.dir).filter(f => f.includes('.partial-'))).toEqual([])
    } finally {
      node.node.store.db.prepare(`INSERT INTO blocks (${Object.keys(block).join(', ')}) VALUES (${Object.keys(block).map(() => '?').join(', ')})`).run(...Object.values(block))
    }
  })
})
