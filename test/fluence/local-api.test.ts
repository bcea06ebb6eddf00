import { getAddress } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LineageNode } from '../../src-main/node/index.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000a9a01' }

describe('the node\'s Aqua API, called on its own embedded peer (AquaVM, JS and Marine services)', () => {
  let running: TestNode
  let node: LineageNode
  let self: string
  const writer = evmSigner()
  const sign = async (tokenId: string, data: string, method: 'metadata' | 'contract' = 'metadata') =>
    await writer.sign({ method, ...COLLECTION, token_id: method === 'contract' ? '' : tokenId, meta_contract_id: 'erc721', alias: '', version: 'v1', data, mcdata: '' })

  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    self = node.peerId ?? ''
    for (const request of [await sign('', '{}', 'contract'), await sign('7', JSON.stringify({ name: 'Seven', image: 'ipfs://one' }))]) {
      const { hash } = node.lineage.publish(request)
      await node.lineage.settled()
      expect(node.lineage.receipt(hash)?.status).toBe('applied')
    }
  })
  afterAll(async () => { await running.stop() })

  const fluence = () => {
    const f = node.fluence
    if (f === undefined) throw new Error('no Fluence peer')
    return f
  }

  it('hosts keys, formatter and the meta contracts as Marine services, and the engine as JS services', () => {
    const status = fluence().status()
    expect(status.peer_id).toBe(self)
    expect(status.services.marine).toEqual(['collab', 'erc721', 'formatter', 'holders', 'keys', 'open'])
    expect(status.services.js).toEqual(['lineage-node', 'lineage', 'lineage-copy'])
    expect(node.info().fluence?.peer_id).toBe(self)
  })

  it('data_key runs on the Marine keys service through AquaVM', async () => {
    const { result } = await fluence().call(self, async (aqua, peer) => await aqua.data_key(fluence().peer, { peer, ...COLLECTION, token_id: '7' }))
    expect(result).toBe(node.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, '7'))
  })

  it('get_metadata answers the tokenURI document the gateway serves', async () => {
    const { result } = await fluence().call(self, async (aqua, peer) => await aqua.get_metadata(fluence().peer, { peer, ...COLLECTION, token_id: '7', limit: 0 }))
    const gateway = await fetch(`${running.base}/metadata/1/${COLLECTION.token_address}/7`)
    expect(result).toMatchObject({ found: true, error: '' })
    expect(JSON.parse(result.json)).toEqual(await gateway.json())
    const missing = await fluence().call(self, async (aqua, peer) => await aqua.get_metadata(fluence().peer, { peer, ...COLLECTION, token_id: '8', limit: 0 }))
    expect(missing.result).toMatchObject({ found: false, json: '' })
  })

  it('publish accepts a signed transaction and refuses a forged one', async () => {
    const request = await sign('8', JSON.stringify({ name: 'Eight' }))
    const { result } = await fluence().call(self, async (aqua, peer) => await aqua.publish(fluence().peer, { peer, transaction: request }))
    expect(result.error).toBe('')
    await node.lineage.settled()
    expect(node.lineage.receipt(result.hash)?.status).toBe('applied')
    const forged = { ...(await sign('9', JSON.stringify({ name: 'Nine' }))), data: JSON.stringify({ name: 'Forged' }) }
    const refused = await fluence().call(self, async (aqua, peer) => await aqua.publish(fluence().peer, { peer, transaction: forged }))
    expect(refused.result.hash).toBe('')
    expect(refused.result.error).toMatch(/^InvalidSignatureError/)
  })

  it('get_slot, get_history and list_collection read the engine', async () => {
    const history = await fluence().call(self, async (aqua, peer) => await aqua.get_history(fluence().peer, { peer, ...COLLECTION, token_id: '7', limit: 0 }))
    expect(history.result.found).toBe(true)
    expect(history.result.slots).toHaveLength(1)
    const slot = history.result.slots[0]
    expect(JSON.parse(slot?.versions[0]?.content ?? '')).toEqual({ name: 'Seven', image: 'ipfs://one' })
    const one = await fluence().call(self, async (aqua, peer) => await aqua.get_slot(fluence().peer, { peer, ...COLLECTION, token_id: '7', meta_contract_id: 'erc721', public_key: slot?.public_key ?? '', alias: '', version: 'v1', cursor: '', limit: 5 }))
    expect(one.result).toMatchObject({ found: true, head: slot?.head })
    const page = await fluence().call(self, async (aqua, peer) => await aqua.list_collection(fluence().peer, { peer, ...COLLECTION, cursor: '', limit: 10 }))
    expect(page.result.items.map(t => t.token_id)).toEqual(['7', '8'])
  })

  it('get_slot, get_history and get_metadata take the public_key and the contract address in any case', async () => {
    const spellings = (address: string): string[] => [getAddress(address), address.toLowerCase(), `0x${address.slice(2).toUpperCase()}`]
    const heads = new Set<string>()
    for (const tokenAddress of spellings(COLLECTION.token_address)) {
      for (const publicKey of spellings(writer.publicKey)) {
        const one = await fluence().call(self, async (aqua, peer) => await aqua.get_slot(fluence().peer, { peer, ...COLLECTION, token_address: tokenAddress, token_id: '7', meta_contract_id: 'erc721', public_key: publicKey, alias: '', version: 'v1', cursor: '', limit: 5 }))
        expect(one.result, `${tokenAddress} ${publicKey}`).toMatchObject({ found: true, public_key: writer.publicKey.toLowerCase() })
        heads.add(one.result.head)
      }
      const history = await fluence().call(self, async (aqua, peer) => await aqua.get_history(fluence().peer, { peer, ...COLLECTION, token_address: tokenAddress, token_id: '7', limit: 0 }))
      expect(history.result.slots.map(x => x.head), tokenAddress).toEqual([...heads])
      const metadata = await fluence().call(self, async (aqua, peer) => await aqua.get_metadata(fluence().peer, { peer, ...COLLECTION, token_address: tokenAddress, token_id: '7', limit: 0 }))
      expect(JSON.parse(metadata.result.json), tokenAddress).toEqual({ name: 'Seven', image: 'ipfs://one' })
    }
    expect(heads.size).toBe(1)
  })
})
