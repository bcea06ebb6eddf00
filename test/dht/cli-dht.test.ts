import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialTarget } from '../../src-main/p2p/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { runCli, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'
import { addressOf, startDhtHelia, startDhtPeers } from './dht-network.js'
import type { DhtPeer } from './dht-network.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000c11d7' }

type Answer<T> = { result?: T, error?: { code: number, message: string } }
interface Info { dht: { enabled: boolean, network: string, mode: string, peers: number, provided: number } | null }

/**
 * `lineage-node start` in a child process: with --dht on a loopback host it joins a private DHT
 * of its --bootstrap peers, provides a collection head as soon as it is written, and a stock
 * Helia that only knows a DHT server fetches that head from it; without the flag a loopback node
 * has no DHT.
 */
describe('lineage-node start --dht (a real process)', () => {
  const dirs = [tempDir(), tempDir()]
  let dhtPeers: DhtPeer[]
  let withDht: StartedNode
  let without: StartedNode
  let id = 0

  async function call<T> (node: StartedNode, method: string, ...params: unknown[]): Promise<Answer<T>> {
    const { json } = await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${node.token}` })
    return json as Answer<T>
  }

  async function until (what: string, node: StartedNode, done: (info: Info) => boolean): Promise<Info> {
    return await waitFor(what, async () => {
      const info = (await call<Info>(node, 'node_info')).result
      return info !== undefined && done(info) && info
    }, { intervalMs: 100, detail: () => node.output() })
  }

  beforeAll(async () => {
    dhtPeers = await startDhtPeers(3)
    ;[withDht, without] = await Promise.all([
      startNodeProcess(['--data-dir', dirs[0]?.dir ?? '', ...TEST_NODE_ARGS, '--dht', '--bootstrap', ...dhtPeers.slice(0, 2).map(addressOf)]),
      startNodeProcess(['--data-dir', dirs[1]?.dir ?? '', ...TEST_NODE_ARGS]),
    ])
  }, 90_000)

  afterAll(async () => {
    for (const node of [withDht, without]) {
      node?.child.kill('SIGTERM')
      await node?.exited
    }
    for (const peer of dhtPeers ?? []) await peer.stop()
    for (const d of dirs) d.cleanup()
  })

  it('says what it joined, and node_info agrees; a loopback node without --dht has none', async () => {
    // The lines after the UI's are printed a moment later; the last one ends them.
    await expect.poll(() => [withDht, without].map(n => n.output().includes('Press Ctrl+C')), { timeout: 10_000 }).toEqual([true, true])
    expect(withDht.output()).toContain('DHT: a private DHT of the bootstrap peers')
    expect(without.output()).not.toContain('DHT:')
    expect(await until('the node to meet two DHT peers', withDht, info => (info.dht?.peers ?? 0) >= 2)).toMatchObject({ dht: { enabled: true, network: 'local', mode: 'server' } })
    expect((await call<Info>(without, 'node_info')).result?.dht).toBeNull()
    const status = await runCli(['status', '--data-dir', dirs[0]?.dir ?? ''])
    expect(status.stdout).toMatch(/^DHT: +private, server mode, [2-9] peers; \d+ CIDs provided, last reprovide not yet$/m)
    expect((await runCli(['status', '--data-dir', dirs[1]?.dir ?? ''])).stdout).not.toContain('DHT:')
  }, 60_000)

  it('provides a head as it is written; a Helia that knows only a DHT server fetches it from the process', async () => {
    const writer = evmSigner()
    for (const request of [
      await writer.sign({ method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'open', alias: '', version: 'v1', data: '{}', mcdata: '' }),
      await writer.sign({ method: 'metadata', ...COLLECTION, token_id: '3', meta_contract_id: 'open', alias: '', version: 'v1', data: JSON.stringify({ name: 'Three' }), mcdata: '' }),
    ]) {
      expect((await call<{ hash: string }>(withDht, 'publish', request)).error).toBeUndefined()
    }
    const dataKey = (await call<string>(withDht, 'generate_data_key', COLLECTION.chain_id, COLLECTION.token_address, '3')).result
    const headText = await waitFor('the head of token 3', async () => (await call<{ history: Array<{ cid: string }> }>(withDht, 'get_metadata_with_history', dataKey, 'open', writer.publicKey.toLowerCase(), '', 'v1')).result?.history[0]?.cid, { intervalMs: 100 })
    const head = CID.parse(headText)
    await until('the node to provide the head', withDht, info => (info.dht?.provided ?? 0) >= 1)

    const helia = await startDhtHelia()
    try {
      await helia.libp2p.dial(dialTarget(multiaddr(addressOf(dhtPeers[2] as DhtPeer))))
      const ours = peerIdFromString(withDht.peerId)
      expect(helia.libp2p.getConnections(ours)).toHaveLength(0)
      const chunks: Uint8Array[] = []
      for await (const chunk of helia.blockstore.get(head, { signal: AbortSignal.timeout(30_000) })) chunks.push(chunk)
      const bytes = new Uint8Array(Buffer.concat(chunks))
      expect((await sha256.digest(bytes)).digest).toEqual(head.multihash.digest)
      expect(helia.libp2p.getConnections(ours).length).toBeGreaterThan(0)
    } finally {
      await helia.stop()
    }
  }, 90_000)
})
