import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { ContentChangeInfo, HistoryPageInfo, ReceiptInfo, TokenInfo, TokenPageInfo, VersionDiffInfo } from '../../src-main/api/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'
import { keptJson as keptJsonOf, overwriteKeptJson } from '../helpers/kept-documents.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000074a7' }
const V1 = { name: 'Seven', image: 'ipfs://one', attributes: [{ trait_type: 'Fur', value: 'Red' }] }
const V2 = { name: 'Seven', image: 'ipfs://two', attributes: [{ trait_type: 'Fur', value: 'Gold' }], description: 'Now golden' }

type Answer<T> = { result?: T, error?: { code: number, message: string, data?: { name?: string, field?: string } } }

describe('get_token, list_tokens, get_history, diff_versions over HTTP on a real node', () => {
  let running: TestNode
  let node: LineageNode
  let url: string
  let id = 0
  const writer = evmSigner()
  const heads: Record<string, string[]> = {}

  async function call<T> (method: string, ...params: unknown[]): Promise<Answer<T>> {
    const { json } = await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))
    return json as Answer<T>
  }
  async function publish (tokenId: string, data: string, method: 'metadata' | 'contract' = 'metadata'): Promise<ReceiptInfo> {
    const request = await writer.sign({ method, ...COLLECTION, token_id: method === 'contract' ? '' : tokenId, meta_contract_id: 'erc721', alias: '', version: 'v1', data, mcdata: '' })
    const { hash } = node.lineage.publish(request)
    await node.lineage.settled()
    const receipt = node.lineage.receipt(hash)
    if (receipt === undefined) throw new Error('no receipt')
    if (receipt.status === 'applied') (heads[tokenId] ??= []).push(...receipt.heads)
    return receipt
  }
  async function callNamed<T> (method: string, params: Record<string, unknown>): Promise<Answer<T>> {
    const { json } = await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))
    return json as Answer<T>
  }
  const dataKey = (tokenId: string): string => node.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, tokenId)
  const slotOf = (tokenId: string): unknown[] => [dataKey(tokenId), 'erc721', writer.publicKey.toLowerCase(), '', 'v1']
  const byPath = (changes: ContentChangeInfo[]): ContentChangeInfo[] => [...changes].sort((a, b) => a.path.localeCompare(b.path))

  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    url = `${running.base}/rpc`
    expect((await publish('', '{}', 'contract')).status).toBe('applied')
    expect((await publish('7', JSON.stringify(V1))).status).toBe('applied')
    expect((await publish('7', JSON.stringify(V2))).status).toBe('applied')
    expect((await publish('7', JSON.stringify({ description: 'no name' }))).status).toBe('rejected')
    for (const tokenId of ['100', '8', '10']) expect((await publish(tokenId, JSON.stringify({ name: `#${tokenId}` }))).status).toBe('applied')
  })
  afterAll(async () => { await running.stop() })

  it('get_token answers a token by chain, address and id, or by data_key, with what the gateway serves', async () => {
    const { result: token } = await call<TokenInfo>('get_token', { ...COLLECTION, token_id: '7' })
    expect(token).toMatchObject({
      token_id: '7',
      data_key: dataKey('7'),
      token_key: node.lineage.tokenKey(COLLECTION.chain_id, COLLECTION.token_address),
      chain_id: '1',
      token_address: COLLECTION.token_address,
      binding: { meta_contract_id: 'erc721', public_key: writer.publicKey.toLowerCase() },
      metadata_error: null,
      receipts: { total: 3, applied: 2, rejected: 1, last_at: expect.any(Number) },
      pending: 0,
    })
    expect(token?.slots).toEqual([expect.objectContaining({ alias: '', version: 'v1', cid: heads['7']?.[1], content: V2 })])
    expect(token?.updated_at).toBe(token?.slots[0]?.updated_at)
    const gateway = await fetch(`${running.base}/metadata/1/${COLLECTION.token_address}/7`)
    expect(token?.metadata).toEqual(await gateway.json())
    expect((await call<TokenInfo>('get_token', { data_key: dataKey('7') })).result).toEqual(token)
  })

  it('get_token answers the gateway\'s kept document while it is current, and formats again once the token changes', async () => {
    const db = node.store.db
    const kept = { get: (key: string) => keptJsonOf(db, key) }
    expect((await fetch(`${running.base}/metadata/1/${COLLECTION.token_address}/8`)).status).toBe(200)
    await node.api.gatewaySettled()
    const keptJson = await waitFor('the gateway to keep token 8\'s document', () => kept.get(dataKey('8')) as string | undefined)
    expect(JSON.parse(keptJson)).toEqual((await call<TokenInfo>('get_token', { ...COLLECTION, token_id: '8' })).result?.metadata)
    // A marker in the kept row shows get_token read it rather than formatting again.
    overwriteKeptJson(db, dataKey('8'), '{"name":"kept"}')
    expect((await call<TokenInfo>('get_token', { ...COLLECTION, token_id: '8' })).result?.metadata).toEqual({ name: 'kept' })
    // A new version deletes the kept row in its transaction: the answer is formatted from it.
    expect((await publish('8', JSON.stringify({ name: '#8, again' }))).status).toBe('applied')
    expect((await call<TokenInfo>('get_token', { ...COLLECTION, token_id: '8' })).result?.metadata).toMatchObject({ name: '#8, again' })
  })

  it('get_token answers null for a token without metadata, and refuses half a reference', async () => {
    expect(await call('get_token', { ...COLLECTION, token_id: '999' })).toMatchObject({ result: null })
    expect((await call('get_token', { data_key: dataKey('7'), token_id: '7' })).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'token' } })
    expect((await call('get_token', { chain_id: '1', token_id: '7' })).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'token' } })
    expect((await call('get_token', { ...COLLECTION, token_id: '07' })).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, message: expect.stringContaining('token.token_id') })
  })

  it('list_tokens pages a collection in numeric order with a cursor and a total, by address or token_key', async () => {
    const first = await call<TokenPageInfo>('list_tokens', COLLECTION, { limit: 2 })
    expect(first.result).toMatchObject({ items: [{ token_id: '7', data_key: dataKey('7'), slots: 1 }, { token_id: '8' }], next_cursor: '8', total: 4 })
    const tokenKey = first.result?.token_key
    const second = await call<TokenPageInfo>('list_tokens', { token_key: tokenKey }, { limit: 2, cursor: '8' })
    expect(second.result).toEqual({ token_key: tokenKey, items: [expect.objectContaining({ token_id: '10' }), expect.objectContaining({ token_id: '100' })], next_cursor: null, total: 4 })
    expect((await call<TokenPageInfo>('list_tokens', COLLECTION)).result?.items.map(t => t.token_id)).toEqual(['7', '8', '10', '100'])
    const filtered = await call<TokenPageInfo>('list_tokens', COLLECTION, { token_id_contains: '0' })
    expect(filtered.result).toMatchObject({ items: [{ token_id: '10' }, { token_id: '100' }], next_cursor: null, total: 2 })
  })

  it('list_tokens refuses an unknown collection and malformed options', async () => {
    const unknown = await call('list_tokens', { chain_id: '5', token_address: COLLECTION.token_address })
    expect(unknown.error).toMatchObject({ code: RPC_ERROR_CODES.UnknownCollectionError, data: { name: 'UnknownCollectionError' } })
    expect((await call('list_tokens', COLLECTION, { cursor: 'abc' })).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'options' } })
    expect((await call('list_tokens', COLLECTION, { limit: 1001 })).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'options' } })
    expect((await call('list_tokens', COLLECTION, { token_id_contains: "1' OR 1=1" })).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams })
    expect((await call('list_tokens', { token_key: 'x', chain_id: '1' })).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'collection' } })
  })

  it('get_history pages a slot newest first, each version with its content and transaction', async () => {
    const [v1, v2] = heads['7'] ?? []
    const page1 = await call<HistoryPageInfo>('get_history', ...slotOf('7'), { limit: 1 })
    expect(page1.result).toEqual({
      head: v2,
      items: [{ cid: v2, timestamp: expect.any(Number), content: V2, previous: v1, transaction: expect.objectContaining({ method: 'metadata', meta_contract_id: 'erc721', public_key: writer.publicKey.toLowerCase(), status: 'applied' }) }],
      next_cursor: v1,
    })
    const page2 = await call<HistoryPageInfo>('get_history', ...slotOf('7'), { limit: 1, cursor: v1 })
    expect(page2.result).toMatchObject({ head: v2, items: [{ cid: v1, content: V1, previous: null }], next_cursor: null })
    expect((await call<HistoryPageInfo>('get_history', ...slotOf('7'))).result?.items.map(v => v.cid)).toEqual([v2, v1])
    expect(await call('get_history', dataKey('7'), 'erc721', writer.publicKey.toLowerCase(), '', 'v9')).toMatchObject({ result: null })
  })

  it('get_history refuses a cursor that is not a version of the slot', async () => {
    const otherToken = heads['8']?.[0]
    expect((await call('get_history', ...slotOf('7'), { cursor: otherToken })).error).toMatchObject({
      code: RPC_ERROR_CODES.InvalidParams, message: expect.stringContaining('another token'), data: { name: 'HistoryCursorError', field: 'cursor' },
    })
    expect((await call('get_history', ...slotOf('7'), { cursor: 'nope' })).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'cursor' } })
    const absent = CID.createV1(0x71, await sha256.digest(new TextEncoder().encode('absent'))).toString()
    expect((await call('get_history', ...slotOf('7'), { cursor: absent })).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'cursor' } })
  })

  it('diff_versions lists what changed from the previous version, or from a chosen base', async () => {
    const [v1, v2] = heads['7'] ?? []
    const expected = [
      { path: '/attributes/0/value', op: 'replace', before: 'Red', after: 'Gold' },
      { path: '/description', op: 'add', after: 'Now golden' },
      { path: '/image', op: 'replace', before: 'ipfs://one', after: 'ipfs://two' },
    ]
    const previous = await call<VersionDiffInfo>('diff_versions', v2)
    expect(previous.result?.base).toBe(v1)
    expect(byPath(previous.result?.changes ?? [])).toEqual(expected)
    expect(byPath((await callNamed<VersionDiffInfo>('diff_versions', { cid: v2, base: v1 })).result?.changes ?? [])).toEqual(expected)
    const backwards = await call<VersionDiffInfo>('diff_versions', v1, v2)
    expect(byPath(backwards.result?.changes ?? []).map(c => [c.path, c.op])).toEqual([['/attributes/0/value', 'replace'], ['/description', 'remove'], ['/image', 'replace']])
    const first = await call<VersionDiffInfo>('diff_versions', v1)
    expect(first.result).toMatchObject({ cid: v1, base: null })
    expect(byPath(first.result?.changes ?? [])).toEqual([
      { path: '/attributes', op: 'add', after: V1.attributes },
      { path: '/image', op: 'add', after: V1.image },
      { path: '/name', op: 'add', after: V1.name },
    ])
    expect((await call<VersionDiffInfo>('diff_versions', v2, v2)).result?.changes).toEqual([])
  })

  it('diff_versions names a missing block, a block that is not a version, and a malformed CID', async () => {
    const absent = CID.createV1(0x71, await sha256.digest(new TextEncoder().encode('absent'))).toString()
    expect((await call('diff_versions', absent)).error).toMatchObject({ code: RPC_ERROR_CODES.VersionNotFoundError, message: expect.stringContaining(absent), data: { name: 'VersionNotFoundError' } })
    const rawCid = CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode('x'))).toString()
    expect((await call('diff_versions', rawCid)).error).toMatchObject({ code: RPC_ERROR_CODES.NotAVersionError, data: { name: 'NotAVersionError' } })
    expect((await call('diff_versions', 'bafy-not-a-cid')).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'cid' } })
    expect((await call('diff_versions', heads['7']?.[1], 'zzz')).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'base' } })
  })
})
