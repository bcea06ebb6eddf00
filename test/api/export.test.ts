import fs from 'node:fs'
import path from 'node:path'
import { CarReader } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { runCli } from '../helpers/processes.js'
import { postRpc } from '../helpers/rpc.js'
import { ed25519Signer } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { tempDir } from '../helpers/temp-dir.js'

const ADDRESS = '0x00000000000000000000000000000000000000cc'

describe('CAR export', () => {
  let source: TestNode
  let heads: string[] = []
  let out: { dir: string, cleanup: () => void }

  beforeAll(async () => {
    out = tempDir()
    source = await startTestNode()
    const signer = ed25519Signer()
    const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
    source.node.lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
    for (const [id, name] of [['1', 'one'], ['2', 'two'], ['1', 'one, revised']] as const) {
      source.node.lineage.publish(await signer.sign({ ...base, token_id: id, data: JSON.stringify({ name }) }))
    }
    await source.node.lineage.settled()
    heads = (source.node.store.db.prepare('SELECT head_cid FROM slots ORDER BY head_cid').pluck().all() as string[])
  })
  afterAll(async () => {
    await source.stop()
    out.cleanup()
  })

  it('exports every slot head with its history and the signed transactions; a fresh node replays them to identical heads and tokenURI bytes', async () => {
    const file = path.join(out.dir, 'everything.car')
    const exported = await runCli(['export', '--car', file, '--data-dir', source.node.config.dataDir])
    expect(exported.stderr).toBe('')
    // 3 version blocks, 4 transactions (a binding, three writes), one archive page and its root.
    expect(exported.stdout).toMatch(/^Exported 9 blocks \(.+\) from 3 roots to /)

    const reader = await CarReader.fromBytes(fs.readFileSync(file))
    const [archive, ...rest] = (await reader.getRoots()).map(String)
    expect(rest.sort()).toEqual(heads)
    const archiveRoot = dagCbor.decode((await reader.get(CID.parse(archive ?? '')))?.bytes ?? new Uint8Array()) as { format: string, pages: CID[] }
    expect(archiveRoot.format).toBe('lineage-transactions/1')
    const page = dagCbor.decode((await reader.get(archiveRoot.pages[0] as CID))?.bytes ?? new Uint8Array()) as { transactions: CID[] }
    const first = dagCbor.decode((await reader.get(page.transactions[0] as CID))?.bytes ?? new Uint8Array()) as { method: string, signature: string }
    expect(page.transactions).toHaveLength(4)
    expect(first).toMatchObject({ method: 'contract', signature: expect.any(String) })
    for await (const block of reader.blocks()) expect((await sha256.digest(block.bytes)).digest).toEqual(block.cid.multihash.digest)

    const target = await startTestNode()
    try {
      const imported = await runCli(['import', file, '--data-dir', target.node.config.dataDir])
      expect(imported.code).toBe(0)
      await target.node.lineage.settled()
      const targetHeads = target.node.store.db.prepare('SELECT head_cid FROM slots ORDER BY head_cid').pluck().all()
      expect(targetHeads).toEqual(heads)
      for (const head of heads) {
        const original = await fetch(`${source.base}/ipfs/${head}?format=raw`)
        const copy = await fetch(`${target.base}/ipfs/${head}?format=raw`)
        expect(copy.status).toBe(200)
        expect(Buffer.from(await copy.arrayBuffer()).equals(Buffer.from(await original.arrayBuffer()))).toBe(true)
      }
      for (const id of ['1', '2']) {
        const original = await fetch(`${source.base}/metadata/1/${ADDRESS}/${id}`)
        const copy = await fetch(`${target.base}/metadata/1/${ADDRESS}/${id}`)
        expect(copy.status).toBe(200)
        const bytes = await copy.text()
        expect(bytes).toBe(await original.text())
        expect(JSON.parse(bytes)).toMatchObject({ name: id === '1' ? 'one, revised' : 'two' })
      }

      // Importing the same CAR again finds every transaction known and changes nothing.
      const again = await runCli(['import', file, '--data-dir', target.node.config.dataDir])
      expect(again.code).toBe(0)
      expect(target.node.store.db.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(4)
    } finally {
      await target.stop()
    }
  }, 120_000)

  it('exports one token or one collection, and refuses bad targets and empty scopes', async () => {
    const url = `${source.base}/rpc`
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(source.node.config.dataDir) ?? ''}` }
    const call = async (params: unknown[]): Promise<{ result?: { roots: string[], blocks: number }, error?: { code: number, message: string, data?: { field?: string } } }> =>
      (await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'export_car', params }), auth)).json as never

    const dataKey = source.node.lineage.dataKey('1', ADDRESS, '1')
    const token = await call([path.join(out.dir, 'token.car'), { data_key: dataKey }])
    // The token's two versions, its archive (root, page) and three transactions: the binding and its two writes.
    expect(token.result).toMatchObject({ roots: [expect.stringMatching(/^bafyrei/), expect.stringMatching(/^bafyrei/)], blocks: 7, transactions: 3 })
    const collection = await call([path.join(out.dir, 'collection.car'), { token_key: source.node.lineage.tokenKey('1', ADDRESS) }])
    expect(collection.result?.roots.slice(1).sort()).toEqual(heads)

    expect((await call(['relative.car'])).error).toMatchObject({ code: -32602, data: { field: 'path' } })
    expect((await call([path.join(out.dir, 'token.car')])).error).toMatchObject({ code: -32602, message: expect.stringContaining('already exists') })
    expect((await call([path.join(out.dir, 'missing-folder', 'x.car')])).error).toMatchObject({ code: -32602, message: expect.stringContaining('does not exist') })
    expect((await call([path.join(out.dir, 'none.car'), { token_key: '1111111111111111111111111111111111' }])).error).toMatchObject({ code: RPC_ERROR_CODES.NothingToExportError })
    expect(fs.existsSync(path.join(out.dir, 'none.car'))).toBe(false)
    const anonymous = await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'export_car', params: [path.join(out.dir, 'x.car')] }))
    expect(anonymous.json).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
  })
})
