import fs from 'node:fs'
import path from 'node:path'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TransactionRequest } from '../../../src-main/lineage/signing/index.js'
import { readApiToken } from '../../../src-main/node/index.js'
import { createBlockstore } from '../../../src-main/store/index.js'
import { ledgerReads } from '../../../src-main/lineage/tokens/index.js'
import { postRpc } from '../../helpers/rpc.js'
import { builtService } from '../../helpers/services.js'
import { ed25519Signer, evmSigner } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'
import { startTestNode } from '../../helpers/test-node.js'
import type { TestNode } from '../../helpers/test-node.js'
import { tempDir } from '../../helpers/temp-dir.js'

/** Tokens of the main collection; the bench runs the same round trip at 100,000. */
const TOKENS = 10_000
/** Tokens of the second collection, governed by a user-deployed contract. */
const FAN_TOKENS = 500
const MAIN = { chain: '1', address: '0x00000000000000000000000000000000000a11ce' }
const FANS = { chain: '137', address: '0x000000000000000000000000000000000000b0b0' }

const rpc = async (node: TestNode, method: string, params: unknown[]): Promise<{ result?: unknown, error?: unknown }> =>
  (await postRpc(`${node.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(node.node.config.dataDir) ?? ''}` })).json as never

const heads = (node: TestNode): string[] => node.node.store.db.prepare('SELECT DISTINCT head_cid FROM slots ORDER BY head_cid').pluck().all() as string[]

/** Publishes signed requests in batches, as replication and bulk paths do, and waits for every receipt. */
async function publishAll (node: TestNode, requests: TransactionRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 512) {
    const results = node.node.lineage.publishBatch(requests.slice(i, i + 512))
    const refused = results.find(r => r.error !== undefined)
    if (refused?.error !== undefined) throw refused.error
    await node.node.lineage.settled()
  }
}

/** Every token's tokenURI bytes and ETag, read through the gateway as a marketplace would. */
async function documents (node: TestNode): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const read = async (chain: string, address: string, id: number): Promise<void> => {
    const response = await fetch(`${node.base}/metadata/${chain}/${address}/${id}`)
    out.set(`${chain}/${id}`, `${response.status} ${response.headers.get('etag') ?? ''} ${await response.text()}`)
  }
  for (let id = 0; id < TOKENS; id += 50) await Promise.all(Array.from({ length: 50 }, async (_, k) => { await read(MAIN.chain, MAIN.address, id + k) }))
  for (let id = 0; id < FAN_TOKENS; id++) await read(FANS.chain, FANS.address, id)
  return out
}

describe(`a backup of ${TOKENS.toLocaleString('en-US')} tokens`, () => {
  let source: TestNode
  let out: { dir: string, cleanup: () => void }

  beforeAll(async () => {
    out = tempDir()
    source = await startTestNode()
    expect((await rpc(source, 'deploy_meta_contract', ['fan-club', Buffer.from(builtService('open')).toString('base64'), 'Fan club'])).error).toBeUndefined()
    const creator = ed25519Signer()
    const fan = ed25519Signer()
    const label = evmSigner()
    const main = { method: 'metadata', chain_id: MAIN.chain, token_address: MAIN.address, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
    const fans = { ...main, chain_id: FANS.chain, token_address: FANS.address, meta_contract_id: 'fan-club' } as const
    const sign = async (signer: TestSigner, fields: Parameters<TestSigner['sign']>[0]): Promise<TransactionRequest> => await signer.sign(fields)
    const requests: TransactionRequest[] = [await sign(creator, { ...main, method: 'contract', token_id: '', data: '{}' })]
    // Several versions of every token, aliased slots, and a second writer's slots.
    for (let id = 0; id < TOKENS; id++) requests.push(await sign(creator, { ...main, token_id: String(id), data: JSON.stringify({ name: `Token #${id}`, attributes: [{ trait_type: 'Tier', value: id % 7 }] }) }))
    for (let id = 0; id < TOKENS; id++) requests.push(await sign(creator, { ...main, token_id: String(id), data: JSON.stringify({ name: `Token #${id}`, description: 'revealed', attributes: [{ trait_type: 'Tier', value: id % 7 }] }) }))
    for (let id = 0; id < TOKENS; id += 4) requests.push(await sign(creator, { ...main, token_id: String(id), data: JSON.stringify({ name: `Token #${id}`, description: 'revealed, then fixed' }) }))
    for (let id = 0; id < TOKENS; id += 10) requests.push(await sign(creator, { ...main, token_id: String(id), alias: 'notes', data: JSON.stringify({ text: `note ${id}` }) }))
    for (let id = 0; id < TOKENS; id += 50) requests.push(await sign(fan, { ...main, token_id: String(id), alias: 'fan', data: JSON.stringify({ cheer: id }) }))
    requests.push(await sign(label, { ...fans, method: 'contract', token_id: '', data: '{}' }))
    for (let round = 0; round < 2; round++) {
      for (let id = 0; id < FAN_TOKENS; id++) requests.push(await sign(label, { ...fans, token_id: String(id), data: JSON.stringify({ name: `Fan #${id}`, round }) }))
    }
    await publishAll(source, requests)
    expect(source.node.store.db.prepare("SELECT count(*) FROM receipts WHERE status = 'applied'").pluck().get()).toBe(requests.length)
    const cover = new TextEncoder().encode('the collection cover')
    const cid = CID.createV1(raw.code, await sha256.digest(cover))
    createBlockstore(source.node.store, { transactionRows: ledgerReads }).putSync(cid, cover)
    expect((await rpc(source, 'pin_add', [cid.toString(), true, 'cover'])).error).toBeUndefined()
  }, 600_000)
  afterAll(async () => {
    await source.stop()
    out.cleanup()
  })

  it('restores into a fresh node: identical slot heads, tokenURI bytes and ETags for every token, and a byte-identical export of its own', async () => {
    const file = path.join(out.dir, 'backup.car')
    const exported = await source.node.exporter.export({ path: file })
    expect(exported).toMatchObject({ heads: heads(source).length, pins: 1, contracts: 1, roots: [expect.stringMatching(/^bafyrei/)] })

    const target = await startTestNode()
    try {
      const { importer } = target.node
      const report = await importer.run((await importer.create({ source: file })).job)
      expect(report).toMatchObject({ state: 'done', rejected_count: 0 })
      expect(report.car?.transactions).toMatchObject({ total: exported.transactions, applied: exported.transactions, rejected: 0, known: 0, refused: [] })
      expect(report.car?.heads).toEqual({ listed: exported.heads, current: exported.heads, not_current: [] })
      expect(report.car?.pins).toEqual({ listed: 1, pinned: 1, refused: [] })
      expect(report.car?.contracts).toMatchObject({ deployed: ['fan-club'], refused: [] })
      expect(heads(target)).toEqual(heads(source))

      const [original, restored] = [await documents(source), await documents(target)]
      expect(restored.size).toBe(TOKENS + FAN_TOKENS)
      let differing = 0
      for (const [token, document] of original) if (restored.get(token) !== document) differing++
      expect(differing).toBe(0)
      expect([...original.values()].every(d => d.startsWith('200 "'))).toBe(true)

      const again = path.join(out.dir, 'backup-of-restore.car')
      await target.node.exporter.export({ path: again })
      expect(fs.statSync(again).size).toBe(fs.statSync(file).size)
      expect(fs.readFileSync(again).equals(fs.readFileSync(file))).toBe(true)
    } finally {
      await target.stop()
    }
  }, 600_000)
})
