import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { BrowsePageInfo, CollectionProfileInfo, ImageGatewayInfo, TokenPageInfo } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000b0b0b' }
type Answer<T> = { result?: T, error?: { code: number, message: string, data?: { name?: string, field?: string } } }

describe('browse_tokens, collection profiles and the image gateway over HTTP on a real node', () => {
  let running: TestNode
  let url: string
  let token: string
  const writer = evmSigner()

  async function call<T> (method: string, params: unknown, withToken = false): Promise<Answer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${token}` } : {}) }
    const { json } = await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), headers)
    return json as Answer<T>
  }
  async function publish (tokenId: string, doc: unknown, method: 'metadata' | 'contract' = 'metadata'): Promise<void> {
    const request = await writer.sign({ method, ...COLLECTION, token_id: method === 'contract' ? '' : tokenId, meta_contract_id: 'erc721', alias: '', version: 'v1', data: JSON.stringify(doc), mcdata: '' })
    running.node.lineage.publish(request)
    await running.node.lineage.settled()
  }

  beforeAll(async () => {
    running = await startTestNode()
    url = `${running.base}/rpc`
    token = readApiToken(running.node.config.dataDir) ?? ''
    await publish('', {}, 'contract')
    await publish('1', { name: 'Red Dragon', image: 'ipfs://bafkreia', attributes: [{ trait_type: 'Fur', value: 'Red' }, { trait_type: 'Eyes', value: 'Blue' }] })
    await publish('2', { name: 'Gold Drake', description: 'A dragon of gold', attributes: [{ trait_type: 'Fur', value: 'Gold' }] })
    await publish('10', { name: 'Moon', attributes: [{ trait_type: 'Fur', value: 'Red' }] })
  })
  afterAll(async () => { await running.stop() })

  it('answers a page with names, images, traits, the total, page N of M and counts per trait value', async () => {
    const { result } = await call<BrowsePageInfo>('browse_tokens', [COLLECTION, { text: 'drag', sort: 'name', page_size: 1, page: 2 }])
    expect(result).toMatchObject({ total: 2, page: 2, pages: 2, page_size: 1, sort: 'name', meta_contract_id: 'erc721' })
    expect(result?.items).toEqual([expect.objectContaining({ token_id: '1', name: 'Red Dragon', image: 'ipfs://bafkreia', traits: [{ trait_type: 'Fur', value: 'Red' }, { trait_type: 'Eyes', value: 'Blue' }] })])
    const filtered = await call<BrowsePageInfo>('browse_tokens', { collection: COLLECTION, query: { traits: [{ trait_type: 'Fur', value: 'Red' }] } })
    expect(filtered.result?.items.map(i => i.token_id)).toEqual(['1', '10'])
    expect(filtered.result?.facets).toEqual([
      { trait_type: 'Eyes', values: [{ value: 'Blue', count: 1 }], more: 0 },
      // Its own filter left out: what choosing Gold as well would add.
      { trait_type: 'Fur', values: [{ value: 'Red', count: 2 }, { value: 'Gold', count: 1 }], more: 0 },
    ])
  })

  it('leaves list_tokens as it was', async () => {
    const { result } = await call<TokenPageInfo>('list_tokens', [COLLECTION, { limit: 2 }])
    expect(result?.items.map(i => i.token_id)).toEqual(['1', '2'])
    expect(result?.total).toBe(3)
    expect(Object.keys(result ?? {}).sort()).toEqual(['items', 'next_cursor', 'token_key', 'total'])
  })

  it('refuses bad queries by name and field, and an unknown collection', async () => {
    const words = await call('browse_tokens', [COLLECTION, { text: Array.from({ length: 13 }, (_, i) => `w${i}`).join(' ') }])
    expect(words.error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { name: 'BrowseQueryError', field: 'text' } })
    const sort = await call('browse_tokens', [COLLECTION, { sort: 'price' }])
    expect(sort.error?.code).toBe(-32602)
    const unknown = await call('browse_tokens', [{ chain_id: '1', token_address: '0x00000000000000000000000000000000000c0c0c' }])
    expect(unknown.error).toMatchObject({ code: RPC_ERROR_CODES.UnknownCollectionError })
  })

  it('keeps a collection\'s display name and image for its owner only, and clears them', async () => {
    expect((await call('set_collection_profile', [COLLECTION, { name: 'Dragons', image: '' }])).error?.code).toBe(RPC_ERROR_CODES.Unauthorized)
    const set = await call<CollectionProfileInfo>('set_collection_profile', [COLLECTION, { name: '  Dragons ', image: 'ipfs://bafkreia' }], true)
    expect(set.result).toMatchObject({ ...COLLECTION, name: 'Dragons', image: 'ipfs://bafkreia' })
    expect((await call<CollectionProfileInfo[]>('collection_profiles', [], true)).result).toEqual([set.result])
    const bad = await call('set_collection_profile', [COLLECTION, { name: 'x', image: 'javascript:alert(1)' }], true)
    expect(bad.error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'image' } })
    expect((await call('set_collection_profile', [COLLECTION, { name: '', image: '' }], true)).result).toBeNull()
    expect((await call<CollectionProfileInfo[]>('collection_profiles', [], true)).result).toEqual([])
  })

  it('loads no remote image until the owner names a gateway; the UI\'s CSP then names that origin only', async () => {
    const csp = async (): Promise<string> => (await fetch(`${running.base}/app/`)).headers.get('content-security-policy') ?? ''
    expect((await call<ImageGatewayInfo>('get_image_gateway', [], true)).result).toEqual({ gateway: null })
    expect(await csp()).toContain("img-src 'self' data: blob:;")
    expect((await call('set_image_gateway', ['https://ipfs.example/ipfs/'])).error?.code).toBe(RPC_ERROR_CODES.Unauthorized)
    const refused = await call('set_image_gateway', ['http://ipfs.example'], true)
    expect(refused.error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { name: 'ImageGatewayError', field: 'gateway' } })
    expect((await call<ImageGatewayInfo>('set_image_gateway', ['https://ipfs.example/ipfs/'], true)).result).toEqual({ gateway: 'https://ipfs.example' })
    expect(await csp()).toContain("img-src 'self' data: blob: https://ipfs.example;")
    expect((await call<ImageGatewayInfo>('set_image_gateway', [null], true)).result).toEqual({ gateway: null })
    expect(await csp()).toContain("img-src 'self' data: blob:;")
  })
})
