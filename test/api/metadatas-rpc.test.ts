import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SlotInfo } from '../../src-main/api/index.js'
import { postRpc } from '../helpers/rpc.js'
import { ed25519Signer } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000a7' }

/** SQLite's order for TEXT (BINARY collation), not the locale's. */
const binary = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0

type Answer<T> = { result?: T, error?: { code: number, message: string, data?: { field?: string } } }

/** The original's slot reads, over HTTP on a real node, with no API token (they only read). */
describe('get_metadatas_count, get_metadatas_by_block, get_metadatas_all_version, get_metadatas_by_tokenkey', () => {
  let running: TestNode
  let url: string
  let id = 0
  const owner = ed25519Signer()
  const fan = ed25519Signer()
  /** The slots written, by (writer, alias, version), with the content each holds last. */
  const written: Array<{ writer: TestSigner, alias: string, version: string, content: unknown }> = []

  async function call<T> (method: string, params: unknown): Promise<Answer<T>> {
    return (await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))).json as Answer<T>
  }
  async function write (writer: TestSigner, tokenId: string, alias: string, version: string, content: unknown): Promise<void> {
    const { hash } = running.node.lineage.publish(await writer.sign({ method: 'metadata', ...COLLECTION, token_id: tokenId, meta_contract_id: 'open', alias, version, data: JSON.stringify(content), mcdata: '' }))
    await running.node.lineage.settled()
    expect(running.node.lineage.receipt(hash)?.status).toBe('applied')
    if (tokenId === '7') {
      const same = written.findIndex(w => w.writer === writer && w.alias === alias && w.version === version)
      if (same >= 0) written.splice(same, 1)
      written.push({ writer, alias, version, content })
    }
  }
  const dataKey = (tokenId: string): string => running.node.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, tokenId)
  /** What a slot read must answer for these writes, in (public_key, alias, version) order. */
  const expected = (keep: (w: typeof written[number]) => boolean): Array<Partial<SlotInfo>> => written.filter(keep)
    .sort((a, b) => binary(a.writer.publicKey, b.writer.publicKey) || binary(a.alias, b.alias) || binary(a.version, b.version))
    .map(w => ({ data_key: dataKey('7'), token_id: '7', meta_contract_id: 'open', public_key: w.writer.publicKey, alias: w.alias, version: w.version, content: w.content }))
  const shape = (slots: SlotInfo[] | undefined): Array<Partial<SlotInfo>> => (slots ?? []).map(s => ({ data_key: s.data_key, token_id: s.token_id, meta_contract_id: s.meta_contract_id, public_key: s.public_key, alias: s.alias, version: s.version, content: s.content }))

  beforeAll(async () => {
    running = await startTestNode({ offline: true })
    url = `${running.base}/rpc`
    const { hash } = running.node.lineage.publish(await owner.sign({ method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'open', alias: '', version: '', data: '{}', mcdata: '' }))
    await running.node.lineage.settled()
    expect(running.node.lineage.receipt(hash)?.status).toBe('applied')
    await write(owner, '7', '', 'v1', { name: 'Seven' })
    await write(owner, '7', 'lore', 'v1', { story: 'a long one' })
    await write(owner, '7', '', 'v2', { name: 'Seven, again' })
    await write(fan, '7', '', 'v1', { name: 'Fan art' })
    await write(owner, '7', '', 'v1', { name: 'Seven, renamed' })
    await write(owner, '8', '', 'v1', { name: 'Eight' })
  }, 60_000)
  afterAll(async () => { await running.stop() })

  it('get_metadatas_count counts a token\'s slots at one version, whoever wrote them', async () => {
    expect((await call('get_metadatas_count', [dataKey('7'), 'v1'])).result).toBe(3)
    expect((await call('get_metadatas_count', [dataKey('7'), 'v2'])).result).toBe(1)
    expect((await call('get_metadatas_count', { data_key: dataKey('7'), version: 'v9' })).result).toBe(0)
    expect((await call('get_metadatas_count', [dataKey('8'), 'v1'])).result).toBe(1)
    expect((await call('get_metadatas_count', ['no-such-token', 'v1'])).result).toBe(0)
  })

  it('get_metadatas_by_block answers a contract\'s slots at a version, or at every version for ""', async () => {
    const v1 = await call<SlotInfo[]>('get_metadatas_by_block', [dataKey('7'), 'open', 'v1'])
    expect(shape(v1.result)).toEqual(expected(w => w.version === 'v1'))
    expect(v1.result?.every(s => s.cid.startsWith('bafyrei') && s.token_key === running.node.lineage.tokenKey(COLLECTION.chain_id, COLLECTION.token_address))).toBe(true)
    const every = await call<SlotInfo[]>('get_metadatas_by_block', [dataKey('7'), 'open', ''])
    expect(shape(every.result)).toEqual(expected(() => true))
    expect(every.result).toHaveLength(4)
    expect((await call('get_metadatas_by_block', [dataKey('7'), 'erc721', ''])).result).toEqual([])
    // Each slot is what get_metadata answers for it.
    for (const slot of every.result ?? []) {
      expect((await call('get_metadata', [slot.data_key, slot.meta_contract_id, slot.public_key, slot.alias, slot.version])).result).toEqual(slot)
    }
  })

  it('get_metadatas_all_version answers every slot of a token, a page at a time', async () => {
    const all = await call<SlotInfo[]>('get_metadatas_all_version', [dataKey('7')])
    expect(shape(all.result)).toEqual(expected(() => true))
    const page = await call<SlotInfo[]>('get_metadatas_all_version', [dataKey('7'), { from: 1, to: 2 }])
    expect(page.result).toEqual(all.result?.slice(1, 3))
    expect((await call('get_metadatas_all_version', { data_key: dataKey('7'), page: { from: 4 } })).result).toEqual([])
    expect(shape((await call<SlotInfo[]>('get_metadatas_all_version', [dataKey('8')])).result)).toEqual([expect.objectContaining({ token_id: '8', content: { name: 'Eight' } })])
  })

  it('get_metadatas_by_tokenkey answers the token by collection key and id, as get_metadatas does by data_key', async () => {
    const tokenKey = running.node.lineage.tokenKey(COLLECTION.chain_id, COLLECTION.token_address)
    const byKey = await call<SlotInfo[]>('get_metadatas_by_tokenkey', [tokenKey, '7', 'v1'])
    expect(shape(byKey.result)).toEqual(expected(w => w.version === 'v1'))
    expect(byKey.result).toEqual((await call('get_metadatas', [dataKey('7'), 'v1'])).result)
    expect((await call('get_metadatas_by_tokenkey', [tokenKey, '9', 'v1'])).result).toEqual([])
    expect((await call('get_metadatas_by_tokenkey', [tokenKey, '7', 'v1', { to: 1 }])).result).toEqual(byKey.result?.slice(0, 1))
    // A token id that is not one is named as the parameter the caller gave, not as the search condition it becomes.
    for (const bad of ['鿴󣹣𬈭蒑', '-1', '1'.padEnd(78, '9')]) {
      expect((await call('get_metadatas_by_tokenkey', [tokenKey, bad, 'v1'])).error).toMatchObject({ code: -32602, data: { field: 'token_id' } })
    }
  })

  it('refuses bad params naming the field, and pages over 100 slots', async () => {
    expect((await call('get_metadatas_count', ['', 'v1'])).error).toMatchObject({ code: -32602, data: { field: 'data_key' } })
    expect((await call('get_metadatas_by_block', [dataKey('7'), 'open'])).error).toMatchObject({ code: -32602, message: 'Invalid params: version is required' })
    expect((await call('get_metadatas_all_version', [dataKey('7'), { to: 101 }])).error).toMatchObject({ code: -32602, message: 'Invalid params: page.to must be <= 100', data: { field: 'page' } })
    expect((await call('get_metadatas_all_version', [dataKey('7'), { limit: 5 }])).error).toMatchObject({ code: -32602, message: 'Invalid params: page has no field named "limit"' })
    expect((await call('get_metadatas_by_tokenkey', ['tk', 7, 'v1'])).error).toMatchObject({ code: -32602, data: { field: 'token_id' } })
  })
})
