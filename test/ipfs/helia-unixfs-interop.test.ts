import { unixfs } from '@helia/unixfs'
import { multiaddr } from '@multiformats/multiaddr'
import { exporter } from 'ipfs-unixfs-exporter'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStockHelia } from '../../bench/helpers/helia-fetch.js'
import type { StockHelia } from '../../bench/helpers/helia-fetch.js'
import { dialTarget } from '../../src-main/p2p/index.js'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { importDirectory } from '../helpers/unixfs.js'

const CHAIN = '1'
const ADDRESS = '0x00000000000000000000000000000000005a1e50'
const TOKENS = 50
/** Low enough that 100 entries shard (Kubo's 256 KiB needs thousands), so the HAMT is read as Kubo would write one. */
const SHARD_THRESHOLD_BYTES = 1024

async function cat (helia: StockHelia, root: CID, path: string, offline = false): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of unixfs(helia).cat(root, { path, offline, signal: AbortSignal.timeout(30_000) })) chunks.push(chunk)
  return new Uint8Array(Buffer.concat(chunks))
}

/**
 * ipfs:// folders of token documents: the node's snapshot of a collection, and a HAMT-sharded
 * folder of the very bytes `GET /metadata/…/<id>` serves put in its blockstore, read by a stock Helia
 * (`@helia/unixfs` cat with a path) over bitswap on loopback TCP, with no other source for the
 * blocks: the Helia starts empty, has no routers or gateways, and dials only our node.
 */
describe('IPFS interop: stock Helia reads <dirCID>/<tokenId> from a Lineage node', () => {
  let running: TestNode
  let helia: StockHelia
  let dir: CID
  let hamt: CID
  const documents = new Map<string, Uint8Array>()

  beforeAll(async () => {
    running = await startTestNode()
    const { node } = running
    const signer = evmSigner()
    const publish = async (tokenId: string, data: object, method: 'metadata' | 'contract' = 'metadata'): Promise<void> => {
      const request = await signer.sign({ method, chain_id: CHAIN, token_address: ADDRESS, token_id: tokenId, meta_contract_id: 'erc721', alias: '', version: 'v1', data: JSON.stringify(data), mcdata: '' })
      node.lineage.publish(request)
    }
    await publish('', {}, 'contract')
    await node.lineage.settled()
    for (let id = 1; id <= TOKENS; id++) await publish(String(id), { name: `Lantern #${id}`, description: 'Harbour lights', image: `ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy/${id}.png`, attributes: [{ trait_type: 'Glow', value: id % 7 }] })
    await node.lineage.settled()
    for (let id = 1; id <= TOKENS; id++) {
      const response = await fetch(`${running.base}/metadata/${CHAIN}/${ADDRESS}/${id}`)
      expect(response.status).toBe(200)
      documents.set(String(id), new Uint8Array(await response.arrayBuffer()))
    }
    const blockstore = createBlockstore(node.store, { transactionRows: ledgerReads })
    const files = [...documents].map(([path, content]) => ({ path, content }))
    // The plain folder is the node's own snapshot of the collection, as `lineage-node snapshot` makes it.
    const snapshot = await node.snapshots.create({ chain_id: CHAIN, token_address: ADDRESS })
    expect([snapshot.tokens, snapshot.sharded]).toEqual([TOKENS, false])
    dir = CID.parse(snapshot.root_cid)
    hamt = await importDirectory(blockstore, [...files, ...files.map(f => ({ ...f, path: `${f.path}.json` }))], SHARD_THRESHOLD_BYTES)
    const root = await exporter(hamt, blockstore)
    expect(root.type === 'directory' ? root.unixfs.type : root.type).toBe('hamt-sharded-directory')

    helia = await startStockHelia()
  }, 120_000)

  afterAll(async () => {
    await helia?.stop()
    await running?.stop()
  })

  it('Helia has no other source: offline, before dialling our node, it has none of the blocks', async () => {
    expect(await helia.blockstore.has(dir)).toBe(false)
    await expect(cat(helia, dir, '42', true)).rejects.toMatchObject({ name: 'BlockNotFoundWhileOfflineError' })
    expect(helia.libp2p.getConnections()).toHaveLength(0)
    const tcp = running.node.status().listenAddresses.find(a => a.includes('/tcp/') && !a.includes('/ws')) ?? ''
    expect(tcp).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//)
    await helia.libp2p.dial(dialTarget(multiaddr(tcp)))
    expect(helia.libp2p.getConnections().map(c => c.remotePeer.toString())).toEqual([running.node.status().peerId])
  }, 60_000)

  it('cat <dirCID>/42 over bitswap gives exactly the bytes GET /metadata/…/42 serves, for every token', async () => {
    expect(await cat(helia, dir, '42')).toEqual(documents.get('42'))
    for (const [id, bytes] of documents) expect([id, await cat(helia, dir, id)]).toEqual([id, bytes])
    // Our gateway serves the same path with the same bytes.
    const served = await fetch(`${running.base}/ipfs/${dir.toString()}/42`)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(documents.get('42'))
  }, 60_000)

  it('reads through a HAMT-sharded directory the same way, by both names', async () => {
    for (const id of ['42', '1', '50', '17']) {
      expect([id, await cat(helia, hamt, id)]).toEqual([id, documents.get(id)])
      expect([`${id}.json`, await cat(helia, hamt, `${id}.json`)]).toEqual([`${id}.json`, documents.get(id)])
    }
    await expect(cat(helia, hamt, '51')).rejects.toThrow(/51/)
  }, 60_000)
})
