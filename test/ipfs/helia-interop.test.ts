import * as dagCbor from '@ipld/dag-cbor'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { heliaFetch, heliaGet, startStockHelia } from '../../bench/helpers/helia-fetch.js'
import type { StockHelia } from '../../bench/helpers/helia-fetch.js'
import { readApiToken } from '../../src-main/node/index.js'
import { dialTarget } from '../../src-main/p2p/index.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000a11ce' }

type Answer<T> = { result?: T, error?: { code: number, message: string } }

/**
 * A stock Helia 7 node (helia's createHelia: bitswap, TCP on loopback, no discovery, no DHT, no
 * public gateways or routers) and a real Lineage node in this process, over real sockets.
 */
describe('IPFS interop: stock Helia and a Lineage node over bitswap', () => {
  let running: TestNode
  let helia: StockHelia
  let token: string
  let tcpAddress: string
  let versions: Array<{ cid: string, content: unknown }>
  let id = 0

  async function call<T> (method: string, ...params: unknown[]): Promise<Answer<T>> {
    const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    return json as Answer<T>
  }

  beforeAll(async () => {
    running = await startTestNode()
    token = readApiToken(running.node.config.dataDir) ?? ''
    tcpAddress = running.node.status().listenAddresses.find(a => !a.includes('/ws')) ?? ''
    // Real signed metadata: a binding, then two versions of token 5.
    const writer = evmSigner()
    const sign = async (tokenId: string, data: object, method: 'metadata' | 'contract' = 'metadata') =>
      await writer.sign({ method, ...COLLECTION, token_id: tokenId, meta_contract_id: 'erc721', alias: '', version: 'v1', data: JSON.stringify(data), mcdata: '' })
    for (const request of [await sign('', {}, 'contract'), await sign('5', { name: 'Alice #5' }), await sign('5', { name: 'Alice #5', description: 'second' })]) {
      const hash = (await call<{ hash: string }>('publish', request)).result?.hash
      await running.node.lineage.settled()
      expect((await call<{ status: string }>('get_transaction_receipt', hash)).result?.status).toBe('applied')
    }
    const dataKey = (await call<string>('generate_data_key', COLLECTION.chain_id, COLLECTION.token_address, '5')).result
    const slot = await call<{ history: Array<{ cid: string, content: unknown }> }>('get_metadata_with_history', dataKey, 'erc721', writer.publicKey.toLowerCase(), '', 'v1')
    versions = slot.result?.history ?? []
    expect(versions).toHaveLength(2)
    helia = await startStockHelia()
    await helia.libp2p.dial(dialTarget(multiaddr(tcpAddress)))
  }, 120_000)

  afterAll(async () => {
    await helia?.stop()
    await running?.stop()
  })

  it('Helia fetches a token\'s version blocks by CID, and they hash to their CIDs and decode as version blocks', async () => {
    const [head, first] = versions.map(v => CID.parse(v.cid)) as [CID, CID]
    const headBytes = await heliaGet(helia, head)
    const firstBytes = await heliaGet(helia, first)
    for (const [cid, bytes] of [[head, headBytes], [first, firstBytes]] as const) {
      expect((await sha256.digest(bytes)).digest).toEqual(cid.multihash.digest)
      expect(cid.code).toBe(dagCbor.code)
    }
    const headBlock = dagCbor.decode<{ timestamp: number, content: unknown, previous: CID, transaction: { hash: string, method: string } }>(headBytes)
    expect(headBlock.content).toEqual({ name: 'Alice #5', description: 'second' })
    expect(headBlock.previous.equals(first)).toBe(true)
    expect(headBlock.transaction).toMatchObject({ method: 'metadata', hash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(dagCbor.decode<{ content: unknown, previous?: CID }>(firstBytes)).toMatchObject({ content: { name: 'Alice #5' } })
    expect(dagCbor.decode<{ previous?: CID }>(firstBytes).previous).toBeUndefined()
  }, 60_000)

  it('the benchmark\'s fresh Helia fetches the same blocks, each verified', async () => {
    const fetched = await heliaFetch(tcpAddress, versions.map(v => CID.parse(v.cid)))
    expect(fetched.blocks).toBe(2)
  }, 60_000)

  it('pin_add of a DAG only Helia holds fetches it with progress events, then the node serves it from its own store', async () => {
    const leafBytes = new TextEncoder().encode('an image only the Helia node has')
    const leaf = CID.createV1(raw.code, await sha256.digest(leafBytes))
    const rootBytes = dagCbor.encode({ name: 'held by Helia', image: leaf })
    const root = CID.createV1(dagCbor.code, await sha256.digest(rootBytes))
    await helia.blockstore.put(leaf, leafBytes)
    await helia.blockstore.put(root, rootBytes)
    expect(running.node.store.db.prepare('SELECT count(*) AS n FROM blocks WHERE multihash = ?').get(Buffer.from(leaf.multihash.bytes))).toEqual({ n: 0 })

    const ws = new WebSocket(`${running.base.replace('http:', 'ws:')}/rpc/ws`, ['lineage.jsonrpc', `lineage.token.${token}`])
    const heard: Array<{ method: string, params: Record<string, unknown> }> = []
    ws.on('message', data => {
      const message = JSON.parse(String(data)) as { method?: string, params: Record<string, unknown> }
      if (message.method?.startsWith('lineage:pin:') === true) heard.push({ method: message.method, params: message.params })
    })
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
    try {
      const pinned = await call<{ cid: string, recursive: boolean, blocks: number, bytes: number }>('pin_add', root.toString(), true, 'from Helia')
      expect(pinned.error).toBeUndefined()
      expect(pinned.result).toMatchObject({ cid: root.toString(), recursive: true, name: 'from Helia', blocks: 2, bytes: leafBytes.byteLength + rootBytes.byteLength })
      // The socket hears the run's events before the HTTP answer's done; wait for its done too.
      await waitFor('the socket to hear the pin end', () => heard.some(h => h.method === 'lineage:pin:done'), { intervalMs: 20 })
    } finally {
      ws.close()
    }
    const progress = heard.filter(h => h.method === 'lineage:pin:progress' && h.params.cid === root.toString()).map(h => h.params)
    expect(progress.at(-1)).toEqual({ cid: root.toString(), blocks: 2, bytes: leafBytes.byteLength + rootBytes.byteLength, fetched_blocks: 2, fetched_bytes: leafBytes.byteLength + rootBytes.byteLength })
    expect(heard.find(h => h.method === 'lineage:pin:done')?.params).toMatchObject({ cid: root.toString(), blocks: 2 })

    // Helia goes away: the node now serves the blocks from its own store.
    await helia.stop()
    const served = await fetch(`${running.base}/ipfs/${leaf.toString()}?format=raw`)
    expect(served.status).toBe(200)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(leafBytes)
    expect((await call<Array<{ cid: string, blocks: number }>>('pin_ls', root.toString())).result).toMatchObject([{ cid: root.toString(), blocks: 2 }])
  }, 90_000)
})
