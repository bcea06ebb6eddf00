import fs from 'node:fs'
import path from 'node:path'
import { ipnsResolver } from '@helia/ipns'
import { generateKeyPair, privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { importer } from 'ipfs-unixfs-importer'
import type { CID } from 'multiformats/cid'
import { base36 } from 'multiformats/bases/base36'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLineageNode, readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { dialTarget } from '../../src-main/p2p/index.js'
import { createSecretVault } from '../../src-main/secrets/index.js'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { postRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'
import { addressOf, startDhtHelia, startDhtPeers } from './dht-network.js'
import type { DhtPeer } from './dht-network.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000a9e55' }

type Answer<T> = { result?: T, error?: { code: number, message: string, data?: unknown } }
interface NameInfo { name: string, value: string, sequence: number, token_key: string, dht_peers: number, expires_at: string }

/** A UnixFS folder with one file per token, in the node's blockstore, as a snapshot would be. */
async function folder (node: LineageNode, tokens: Record<string, string>): Promise<CID> {
  let root: CID | undefined
  const files = Object.entries(tokens).map(([id, text]) => ({ path: `snapshot/${id}`, content: new TextEncoder().encode(text) }))
  for await (const entry of importer(files, createBlockstore(node.store, { transactionRows: ledgerReads }), { cidVersion: 1, rawLeaves: true })) if (entry.path === 'snapshot') root = entry.cid
  if (root === undefined) throw new Error('no folder')
  return root
}

/**
 * A collection's IPNS name: published by a real node (gateway with a public listener, DHT on in a
 * private loopback DHT), resolved by a stock Helia with @helia/ipns through the DHT alone, served
 * by the node's /ipns/ route, its key sealed at rest, and its sequence kept across a restart.
 */
describe('IPNS names of collections', () => {
  const data = tempDir()
  let dhtPeers: DhtPeer[]
  let node: LineageNode
  let base: string
  let pub: string
  let token: string
  let first: CID
  let second: CID
  let id = 0

  async function call<T> (method: string, ...params: unknown[]): Promise<Answer<T>> {
    const { json } = await postRpc(`${base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    return json as Answer<T>
  }

  async function startNode (): Promise<void> {
    node = createLineageNode(testNodeConfig(data.dir, { dht: true, bootstrap: dhtPeers.map(addressOf), gatewayHost: '127.0.0.1', gatewayPort: 0, gatewayRatePerSecond: 0 }), { logger: testLogger })
    await node.start()
    base = node.status().apiUrl ?? ''
    pub = node.status().publicGatewayUrl ?? ''
    token = readApiToken(data.dir) ?? ''
    await waitFor('the node to meet two DHT peers', () => (node.info().dht?.peers ?? 0) >= 2, { intervalMs: 100 })
  }

  beforeAll(async () => {
    dhtPeers = await startDhtPeers(3)
    await startNode()
    first = await folder(node, { 1: '{"name":"One"}', 2: '{"name":"Two"}' })
    second = await folder(node, { 1: '{"name":"One, again"}', 2: '{"name":"Two"}' })
  }, 120_000)

  afterAll(async () => {
    await node?.stop()
    for (const peer of dhtPeers ?? []) await peer.stop()
    data.cleanup()
  })

  it('ipns_publish makes the collection\'s name, puts the record on the DHT, and moves the sequence only when the value changes', async () => {
    const made = await call<NameInfo>('ipns_publish', COLLECTION.chain_id, COLLECTION.token_address, first.toString())
    expect(made.error).toBeUndefined()
    expect(made.result).toMatchObject({ ...COLLECTION, value: `/ipfs/${first.toString()}`, sequence: 0 })
    expect(made.result?.name).toMatch(/^k51qzi5uqu5d[a-z0-9]+$/)
    expect(made.result?.dht_peers).toBeGreaterThan(0)
    const again = await call<NameInfo>('ipns_publish', COLLECTION.chain_id, COLLECTION.token_address, first.toString())
    expect(again.result).toMatchObject({ name: made.result?.name, sequence: 0 })
    const moved = await call<NameInfo>('ipns_publish', COLLECTION.chain_id, COLLECTION.token_address, second.toString())
    expect(moved.result).toMatchObject({ name: made.result?.name, value: `/ipfs/${second.toString()}`, sequence: 1 })
    expect((await call<NameInfo[]>('ipns_ls')).result).toEqual([moved.result])
    expect(node.info().dht?.ipns_names).toBe(1)
  })

  it('a stock Helia with @helia/ipns, dialled only to a DHT server, resolves the name to the latest value', async () => {
    const name = (await call<NameInfo[]>('ipns_ls')).result?.[0]?.name ?? ''
    const helia = await startDhtHelia()
    try {
      await helia.libp2p.dial(dialTarget(multiaddr(addressOf(dhtPeers[2] as DhtPeer))))
      expect(helia.libp2p.getConnections(peerIdFromString(node.peerId ?? ''))).toHaveLength(0)
      const resolver = ipnsResolver(helia)
      const answers: string[] = []
      for await (const result of resolver.resolve(peerIdFromString(name).toMultihash(), { signal: AbortSignal.timeout(30_000) })) answers.push(result.value)
      expect(answers).toEqual([`/ipfs/${second.toString()}`])
    } finally {
      await helia.stop()
    }
  }, 60_000)

  it('/ipns/<name>/<path> redirects to /ipfs/<cid>/<path> on the API and the public listener; unknown and malformed names are refused', async () => {
    const name = (await call<NameInfo[]>('ipns_ls')).result?.[0]?.name ?? ''
    for (const origin of [base, pub]) {
      const answer = await fetch(`${origin}/ipns/${name}/1?format=raw&x=%0d`, { redirect: 'manual' })
      expect([origin, answer.status]).toEqual([origin, 302])
      expect(answer.headers.get('location')).toBe(`/ipfs/${second.toString()}/1?format=raw`)
      expect(answer.headers.get('cache-control')).toBe('public, max-age=60')
      expect(answer.headers.get('access-control-allow-origin')).toBe('*')
      // Any spelling of the same key (the peer id) names it too.
      const byPeerId = await fetch(`${origin}/ipns/${peerIdFromString(name).toString()}`, { redirect: 'manual' })
      expect(byPeerId.headers.get('location')).toBe(`/ipfs/${second.toString()}`)
      // A valid key this node does not keep: never looked up on the network.
      const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toCID().toString(base36)
      const unknown = await fetch(`${origin}/ipns/${stranger}`, { redirect: 'manual' })
      expect([origin, unknown.status]).toEqual([origin, 404])
      const malformed = await fetch(`${origin}/ipns/not-a-key`, { redirect: 'manual' })
      expect([origin, malformed.status]).toEqual([origin, 400])
      expect(await malformed.json()).toHaveProperty('error')
    }
  })

  it('keeps the name\'s key sealed at rest: neither file in the data dir holds it in clear', () => {
    const tokenKey = node.lineage.tokenKey(COLLECTION.chain_id, COLLECTION.token_address)
    const protobuf = Buffer.from(createSecretVault({ dir: data.dir }).require(`ipns/${tokenKey}`), 'base64')
    const key = privateKeyFromProtobuf(protobuf)
    expect(peerIdFromPrivateKey(key).toCID().toString(base36)).toBe(JSON.parse(fs.readFileSync(path.join(data.dir, 'ipns-names.json'), 'utf8')).names[tokenKey].name)
    const raw = Buffer.from(key.raw)
    for (const file of fs.readdirSync(data.dir).filter(f => fs.statSync(path.join(data.dir, f)).isFile())) {
      const bytes = fs.readFileSync(path.join(data.dir, file))
      for (const spelling of [raw, Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('hex')), Buffer.from(protobuf.toString('base64'))]) {
        expect([file, bytes.includes(spelling)]).toEqual([file, false])
      }
    }
    expect(fs.statSync(path.join(data.dir, 'ipns-names.json')).mode & 0o777).toBe(0o600)
  })

  it('refuses a CID the node does not hold, a malformed CID and a malformed collection, changing nothing', async () => {
    const before = fs.readFileSync(path.join(data.dir, 'ipns-names.json'), 'utf8')
    const missing = await call('ipns_publish', COLLECTION.chain_id, COLLECTION.token_address, 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    expect(missing.error).toMatchObject({ code: -32141, data: { name: 'IpnsValueNotHeldError' } })
    const badCid = await call('ipns_publish', COLLECTION.chain_id, COLLECTION.token_address, 'not-a-cid')
    expect(badCid.error).toMatchObject({ code: -32602, data: { field: 'cid' } })
    const badChain = await call('ipns_publish', '01', COLLECTION.token_address, first.toString())
    expect(badChain.error).toMatchObject({ code: -32092 })
    expect(badChain.error?.message).toContain('chain id')
    expect(fs.readFileSync(path.join(data.dir, 'ipns-names.json'), 'utf8')).toBe(before)
  })

  it('a new snapshot of the collection moves its name (the snapshot module\'s call); a collection without a name gets none', async () => {
    const third = await folder(node, { 1: '{"name":"One, third"}' })
    const before = (await call<NameInfo[]>('ipns_ls')).result?.[0]
    const moved = await node.findable?.snapshotCreated({ ...COLLECTION, root_cid: third.toString() })
    expect(moved).toMatchObject({ name: before?.name, value: `/ipfs/${third.toString()}`, sequence: (before?.sequence ?? 0) + 1 })
    const location = (await fetch(`${base}/ipns/${before?.name ?? ''}/1`, { redirect: 'manual' })).headers.get('location')
    expect(location).toBe(`/ipfs/${third.toString()}/1`)
    expect(await node.findable?.snapshotCreated({ chain_id: '1', token_address: '0x00000000000000000000000000000000000000b0', root_cid: third.toString() })).toBeNull()
    expect((await call<NameInfo[]>('ipns_ls')).result).toHaveLength(1)
    // Back to the second folder, so the restart below starts from a known value.
    await call('ipns_publish', COLLECTION.chain_id, COLLECTION.token_address, second.toString())
  })

  it('after a restart the name is the same, served at once, and its next value takes the next sequence', async () => {
    const before = (await call<NameInfo[]>('ipns_ls')).result?.[0]
    await node.stop()
    await startNode()
    const answer = await fetch(`${base}/ipns/${before?.name ?? ''}`, { redirect: 'manual' })
    expect(answer.headers.get('location')).toBe(`/ipfs/${second.toString()}`)
    const moved = await call<NameInfo>('ipns_publish', COLLECTION.chain_id, COLLECTION.token_address, first.toString())
    expect(moved.result).toMatchObject({ name: before?.name, value: `/ipfs/${first.toString()}`, sequence: (before?.sequence ?? 0) + 1 })
    expect(before?.sequence).toBe(3)
  }, 120_000)
})
