import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FollowInfo, NodeInfo, PeerConnectionInfo, PinInfo, SlotInfo } from '../../src-main/api/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { runCli, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { ed25519Signer } from '../helpers/signers.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

/**
 * Three `lineage-node start` processes on 127.0.0.1: R offers the relay service; L (a laptop
 * behind a router) accepts no direct connections (--no-listen) and knows only R; C, also behind a
 * router, dials L by its relayed address alone, fetches one of L's blocks over bitswap and syncs
 * L's collection, all through R.
 */
const COLLECTION = { chain_id: '137', token_address: '0x00000000000000000000000000000000000f1a7e' }
type Answer<T> = { result?: T, error?: { code: number, message: string } }

async function rpc<T> (node: StartedNode, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(`${node.url}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const answer = await response.json() as Answer<T>
  if (answer.error !== undefined) throw new Error(`${method}: ${answer.error.message}`)
  return answer.result as T
}

const info = async (node: StartedNode): Promise<NodeInfo> => await rpc<NodeInfo>(node, 'node_info')
const bytesOf = async (node: StartedNode, path: string): Promise<{ status: number, body: string }> => {
  const response = await fetch(node.url + path)
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()).toString('base64') }
}

/** Each check asks a node over HTTP: poll at a gentle pace. */
const POLL = { timeoutMs: 30_000, intervalMs: 200 }

describe('a node behind a router, reached through a relay node (three processes)', () => {
  const dirs = { r: tempDir(), l: tempDir(), c: tempDir() }
  const started: StartedNode[] = []
  let relay: StartedNode
  let laptop: StartedNode
  let third: StartedNode
  const writer = ed25519Signer()
  const sign = async (tokenId: string, data: string, method: 'metadata' | 'contract' = 'metadata') =>
    await writer.sign({ method, ...COLLECTION, token_id: tokenId, meta_contract_id: 'open', alias: '', version: 'v1', data, mcdata: '' })

  beforeAll(async () => {
    ;[relay, third] = await Promise.all([
      startNodeProcess([...TEST_NODE_ARGS, '--data-dir', dirs.r.dir, '--relay-service'], 60_000),
      // C is behind a router too: L could otherwise dial it directly (as libp2p does to a public
      // peer when it needs an unlimited connection), and nothing would prove the relay carried it.
      startNodeProcess([...TEST_NODE_ARGS, '--data-dir', dirs.c.dir, '--no-listen'], 60_000),
    ])
    started.push(relay, third)
    const relayAddress = (await info(relay)).p2p?.listen_addresses.find(a => !a.includes('/ws')) ?? ''
    laptop = await startNodeProcess([...TEST_NODE_ARGS, '--data-dir', dirs.l.dir, '--no-listen', '--bootstrap', relayAddress], 60_000)
    started.push(laptop)
  }, 120_000)

  afterAll(async () => {
    for (const node of started) node.child.kill('SIGTERM')
    await Promise.all(started.map(async n => await n.exited))
    for (const d of Object.values(dirs)) d.cleanup()
  })

  it('the laptop gets a slot on the relay: status relayed, a /p2p-circuit address through R, no direct address', async () => {
    await waitFor('a relay slot', async () => (await info(laptop)).reachability.status === 'relayed', POLL)
    const { reachability, p2p } = await info(laptop)
    expect(reachability.relays).toEqual([relay.peerId])
    expect(reachability.relay_service).toBe(false)
    expect(reachability.public_addresses).toEqual([])
    expect(reachability.relay_addresses.length).toBeGreaterThan(0)
    for (const a of reachability.relay_addresses) expect(a).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+(/ws)?/p2p/${relay.peerId}/p2p-circuit/p2p/${laptop.peerId}$`))
    // Nothing listens for direct connections: every address it announces goes through R.
    expect(p2p?.listen_addresses.every(a => a.includes('/p2p-circuit/'))).toBe(true)

    const r = (await info(relay)).reachability
    expect(r.relay_service).toBe(true)
    expect(r.relays).toEqual([])

    // `start` printed the relay address when it came, and `status` says it in plain words.
    await waitFor('start to print the relay address', async () => laptop.output().includes(`Relay address: ${reachability.relay_addresses[0] ?? '?'}`), POLL)
    expect(laptop.output()).toContain(`Reachable from the internet: yes, through relay ${relay.peerId}`)
    const [status, relayStatus] = await Promise.all([runCli(['status', '--data-dir', dirs.l.dir]), runCli(['status', '--data-dir', dirs.r.dir])])
    expect(status.code).toBe(0)
    expect(status.stdout).toContain(`Reachable from the internet: yes, through relay ${relay.peerId}`)
    expect(relayStatus.stdout).toContain('Relay service: on')
  }, 60_000)

  it('a third node dials the laptop by its relayed address only, fetches its blocks by bitswap and syncs its collection through R', async () => {
    await waitFor('a relay slot', async () => (await info(laptop)).reachability.status === 'relayed', POLL)
    const relayed = (await info(laptop)).reachability.relay_addresses.find(a => !a.includes('/ws')) ?? ''

    const requests = [await sign('', '{}', 'contract'), ...await Promise.all([1, 2, 3].map(async id => await sign(String(id), JSON.stringify({ name: `Token ${id}`, description: 'made on the laptop' }))))]
    const results = await rpc<Array<{ hash?: string, error?: { message: string } }>>(laptop, 'publish_batch', [requests])
    expect(results.filter(r => r.error !== undefined)).toEqual([])
    const headsOf = async (node: StartedNode): Promise<SlotInfo[]> => await rpc<SlotInfo[]>(node, 'search_metadatas', [{ from: 0, to: 100, ordering: [{ column: 'data_key', sort: 'asc' }] }])
    await waitFor('the writes to apply', async () => (await headsOf(laptop)).length === 3, POLL)
    const laptopHeads = await headsOf(laptop)
    const head = laptopHeads[0]?.cid ?? ''

    expect(await rpc<{ peer_id: string }>(third, 'peer_connect', [relayed])).toEqual({ peer_id: laptop.peerId })
    const toLaptop = (await rpc<PeerConnectionInfo[]>(third, 'peers')).filter(p => p.peer_id === laptop.peerId)
    expect(toLaptop.length).toBeGreaterThan(0)
    expect(toLaptop.every(p => p.address.includes(`/p2p/${relay.peerId}/p2p-circuit`))).toBe(true)

    // C holds none of L's blocks: pinning L's head fetches it (and its links) over bitswap.
    expect((await bytesOf(third, `/ipfs/${head}?format=raw`)).status).not.toBe(200)
    const pinned = await rpc<PinInfo>(third, 'pin_add', [head, true])
    expect(pinned.cid).toBe(head)
    expect(pinned.blocks).toBeGreaterThan(0)
    const block = await bytesOf(third, `/ipfs/${head}?format=raw`)
    expect(block.status).toBe(200)
    expect(block).toEqual(await bytesOf(laptop, `/ipfs/${head}?format=raw`))

    // Following the collection syncs it from L: same heads, same tokenURI bytes.
    await rpc(third, 'follow_add', [COLLECTION.chain_id, COLLECTION.token_address])
    await waitFor('the collection to sync', async () => (await rpc<FollowInfo[]>(third, 'follow_ls')).find(f => f.token_address === COLLECTION.token_address)?.transactions === 4, POLL)
    await waitFor('the synced writes to apply', async () => (await headsOf(third)).length === 3, POLL)
    const thirdHeads = await headsOf(third)
    expect(thirdHeads.map(s => `${s.data_key}=${s.cid}`)).toEqual(laptopHeads.map(s => `${s.data_key}=${s.cid}`))
    for (const id of [1, 2, 3]) {
      const path = `/metadata/${COLLECTION.chain_id}/${COLLECTION.token_address}/${id}`
      const served = await bytesOf(third, path)
      expect(served.status).toBe(200)
      expect(served).toEqual(await bytesOf(laptop, path))
    }

    // All of it went through R: neither could dial the other directly (nothing listens).
    const after = (await rpc<PeerConnectionInfo[]>(third, 'peers')).filter(p => p.peer_id === laptop.peerId)
    expect(after.every(p => p.address.includes('/p2p-circuit'))).toBe(true)
    const atLaptop = (await rpc<PeerConnectionInfo[]>(laptop, 'peers')).filter(p => p.peer_id === third.peerId)
    expect(atLaptop.length).toBeGreaterThan(0)
    expect(atLaptop.every(p => p.address.includes('/p2p-circuit'))).toBe(true)
  }, 90_000)
})
