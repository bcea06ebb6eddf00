import { unixfs } from '@helia/unixfs'
import { peerIdFromCID, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { dialTarget } from '../../src-main/p2p/index.js'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'
import { addressOf, startDhtHelia, startDhtPeers } from './dht-network.js'
import type { DhtPeer } from './dht-network.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000d4700' }

type Answer<T> = { result?: T, error?: { code: number, message: string, data?: unknown } }

/** Waits for `done` to hold, checking every 100 ms, at most `tries` times (progress, not time, is asserted). */
async function collect (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of source) chunks.push(chunk)
  return new Uint8Array(Buffer.concat(chunks))
}

/**
 * Our node (a real Lineage node, DHT on) joins a private DHT of three stock kad-dht servers on
 * loopback and provides a collection's snapshot (a UnixFS folder) and its heads. A
 * stock Helia, dialled only to one DHT server, finds our node as provider and fetches both.
 */
describe('findable on the IPFS DHT: a stock Helia finds and fetches our content without being told our address', () => {
  let dhtPeers: DhtPeer[]
  let running: TestNode
  let token: string
  let root: CID
  let head: CID
  const documents = new Map<string, Uint8Array>()
  let id = 0

  async function call<T> (method: string, ...params: unknown[]): Promise<Answer<T>> {
    const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    return json as Answer<T>
  }

  beforeAll(async () => {
    dhtPeers = await startDhtPeers(3)
    running = await startTestNode({ dht: true, bootstrap: dhtPeers.slice(0, 2).map(addressOf) })
    token = readApiToken(running.node.config.dataDir) ?? ''
    await waitFor('the node to meet two DHT peers', () => (running.node.info().dht?.peers ?? 0) >= 2, { intervalMs: 100 })

    // Collection heads: signed writes the engine applies, each announced as it appears.
    const writer = evmSigner()
    for (const request of [
      await writer.sign({ method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'open', alias: '', version: 'v1', data: '{}', mcdata: '' }),
      await writer.sign({ method: 'metadata', ...COLLECTION, token_id: '42', meta_contract_id: 'open', alias: '', version: 'v1', data: JSON.stringify({ name: 'Token 42', description: 'found through the DHT' }), mcdata: '' }),
      await writer.sign({ method: 'metadata', ...COLLECTION, token_id: '7', meta_contract_id: 'open', alias: '', version: 'v1', data: JSON.stringify({ name: 'Token 7' }), mcdata: '' }),
    ]) {
      const { hash } = running.node.lineage.publish(request)
      await running.node.lineage.settled()
      expect(running.node.lineage.receipt(hash)?.status).toBe('applied')
    }
    const heads = running.node.store.db.prepare('SELECT head_cid FROM slots WHERE token_id = ?').pluck().all('42') as string[]
    expect(heads).toHaveLength(1)
    head = CID.parse(heads[0] as string)
    for (const tokenId of ['42', '7']) documents.set(tokenId, new Uint8Array(await (await fetch(`${running.base}/metadata/${COLLECTION.chain_id}/${COLLECTION.token_address}/${tokenId}`)).arrayBuffer()))
    // The collection's snapshot, as `lineage-node snapshot` makes it: the node announces its root at once.
    const snapshot = await call<{ root_cid: string }>('snapshot_create', COLLECTION.chain_id, COLLECTION.token_address)
    root = CID.parse(snapshot.result?.root_cid ?? '')
    await waitFor('the node to provide three CIDs', () => (running.node.info().dht?.provided ?? 0) >= 3, { intervalMs: 100, detail: () => JSON.stringify(running.node.info().dht) })
  }, 120_000)

  afterAll(async () => {
    await running?.stop()
    for (const peer of dhtPeers ?? []) await peer.stop()
  })

  it('node_info reports the DHT: on, a private network in server mode, its peers and what it provides', () => {
    // The snapshot's root and the heads of tokens 42 and 7 (the binding's write makes no slot of a token).
    expect(running.node.info().dht).toMatchObject({ enabled: true, network: 'local', mode: 'server', provided: 3, reproviding: false, queued: 0, failed: 0, ipns_names: 0 })
    expect(running.node.info().dht?.peers).toBeGreaterThanOrEqual(2)
  })

  it('a Helia dialled only to a DHT server finds our node as the provider of the folder and of the head, and fetches them over bitswap', async () => {
    const helia = await startDhtHelia()
    try {
      const ours = peerIdFromString(running.node.peerId ?? '')
      await helia.libp2p.dial(dialTarget(multiaddr(addressOf(dhtPeers[2] as DhtPeer))))
      expect(helia.libp2p.getConnections(ours)).toHaveLength(0)

      const found: string[] = []
      for await (const provider of helia.routing.findProviders(root, { signal: AbortSignal.timeout(30_000) })) {
        // Helia names providers by peer id CID.
        found.push(peerIdFromCID(CID.asCID(provider.id) ?? CID.parse(provider.id.toString())).toString())
        if (found.includes(ours.toString())) break
      }
      expect(found).toContain(ours.toString())

      const fs = unixfs(helia)
      // Each entry is what the node's gateway serves for that token.
      expect(new TextDecoder().decode(documents.get('42'))).toContain('found through the DHT')
      expect(await collect(fs.cat(root, { path: '42', signal: AbortSignal.timeout(30_000) }))).toEqual(documents.get('42'))
      expect(await collect(fs.cat(root, { path: '7', signal: AbortSignal.timeout(30_000) }))).toEqual(documents.get('7'))
      // The head block, found the same way: its bytes are what the node's blockstore gives for it
      // (stored without its transaction's copies, rebuilt from the row).
      const bytes = await collect(helia.blockstore.get(head, { signal: AbortSignal.timeout(30_000) }))
      expect(bytes).toEqual(new Uint8Array(createBlockstore(running.node.store, { transactionRows: ledgerReads }).getSync(head) ?? []))
      expect(bytes.byteLength).toBeGreaterThan(0)
      expect(helia.libp2p.getConnections(ours).length).toBeGreaterThan(0)
    } finally {
      await helia.stop()
    }
  }, 90_000)

  it('a full reprovide announces the pinned root and every slot head again, then reports when it ran', async () => {
    const provider = running.node.findable?.provider
    const steps: number[] = []
    const progress = await provider?.reprovide({ onProgress: p => { steps.push(p.done) } })
    // Candidates: the pinned root, then the binding's and token 42's slot heads (distinct CIDs).
    const slotHeads = new Set(running.node.store.db.prepare('SELECT head_cid FROM slots').pluck().all() as string[])
    expect(progress).toEqual({ done: 1 + slotHeads.size, provided: 1 + slotHeads.size })
    expect(steps.at(-1)).toBe(1 + slotHeads.size)
    expect(running.node.info().dht?.last_reprovide_at).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(running.node.info().dht?.provided).toBe(1 + slotHeads.size)
  }, 90_000)
})
