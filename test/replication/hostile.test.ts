import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { JobNotification } from '../../src-main/api/index.js'
import { transactionHash } from '../../src-main/lineage/signing/index.js'
import type { TransactionRequest } from '../../src-main/lineage/signing/index.js'
import { GOSSIP_MAX_MESSAGE_BYTES } from '../../src-main/p2p/constants.js'
import { createP2pHost, dialTarget } from '../../src-main/p2p/index.js'
import type { P2pHost } from '../../src-main/p2p/index.js'
import { GOSSIP_TOPIC_PREFIX, SYNC_MAX_MESSAGE_BYTES, SYNC_MAX_REQUESTS_PER_STREAM, SYNC_PROTOCOL, createReplication } from '../../src-main/replication/index.js'
import type { Replication } from '../../src-main/replication/index.js'
import { testLogger } from '../helpers/logger.js'
import { ed25519Signer } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'
import { dialNode, hostilePeer, retryingDial, serveSync, tcpAddress, transactionCount, varint } from './hostile-peer.js'
import type { Answerer, HostilePeer } from './hostile-peer.js'

const IDENTIFY_PROTOCOL = '/ipfs/id/1.0.0'
const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000bad01' }

describe('hostile peers against replication (a real node, stock libp2p peers on 127.0.0.1)', () => {
  let n: TestNode
  let tokenKey: string
  let topic: string
  const writer = ed25519Signer()
  const sign = async (tokenId: string, data: object, method: 'metadata' | 'contract' = 'metadata') =>
    await writer.sign({ method, ...COLLECTION, token_id: tokenId, meta_contract_id: 'open', alias: 'main', version: 'v1', data: JSON.stringify(data), mcdata: '' })
  const peers: HostilePeer[] = []
  const cleanups: Array<() => Promise<void>> = []
  const notifications: JobNotification[] = []
  let binding: TransactionRequest

  /** A stock peer, stopped after the test. */
  const hostile = async (): Promise<HostilePeer> => {
    const peer = await hostilePeer()
    peers.push(peer)
    return peer
  }
  const nodeId = (): string => n.node.p2p?.libp2p.peerId.toString() ?? ''
  const deniedWhy = (peer: HostilePeer): string | undefined => n.node.replication.status().denied.find(d => d.peer_id === peer.peerId.toString())?.why
  const connected = (peer: HostilePeer): boolean => (n.node.p2p?.connections() ?? []).some(c => c.peer_id === peer.peerId.toString())
  /** A signed transaction of the collection with one field changed after signing. */
  const forge = async (tokenId: string): Promise<TransactionRequest> => ({ ...await sign(tokenId, { name: 'real' }), data: JSON.stringify({ name: 'forged' }) })

  /**
   * A new connection from the peer is refused: the node's gater drops it once encrypted, so the
   * dialler's optimistic muxer selection may still resolve the dial, but no stream ever opens.
   */
  const expectRefused = async (peer: HostilePeer, address: string): Promise<void> => {
    await expect(peer.dialProtocol(dialTarget(multiaddr(address)), IDENTIFY_PROTOCOL)).rejects.toThrow()
  }

  /** The node cut the peer off: named in status().denied, hung up on, and refused when it dials again. */
  const expectCutOff = async (peer: HostilePeer, why: string | RegExp): Promise<void> => {
    await waitFor('the peer to be cut off', () => deniedWhy(peer) !== undefined && !connected(peer) && peer.getConnections().length === 0)
    expect(deniedWhy(peer)).toMatch(why)
    await expectRefused(peer, tcpAddress(n))
    expect(connected(peer)).toBe(false)
  }

  beforeAll(async () => {
    n = await startTestNode()
    n.node.api.events.on('notification', x => { notifications.push(x) })
    binding = await sign('', {}, 'contract')
    n.node.lineage.publishBatch([binding, await sign('1', { name: '#1' }), await sign('2', { name: '#2' })])
    await n.node.lineage.settled()
    tokenKey = n.node.lineage.tokenKey(COLLECTION.chain_id, COLLECTION.token_address)
    topic = `${GOSSIP_TOPIC_PREFIX}${tokenKey}`
    // Writing made the node follow the collection.
    expect(n.node.replication.follows().map(f => [f.token_key, f.transactions])).toEqual([[tokenKey, 3]])
  }, 60_000)

  afterEach(async () => {
    await Promise.all(peers.splice(0).map(async p => { await p.stop() }))
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  afterAll(async () => {
    await n?.stop()
  })

  describe('gossip', () => {
    it('a transaction with a bad signature is not stored, and its sender is disconnected and refused', async () => {
      const peer = await hostile()
      peer.services.pubsub.subscribe(topic)
      await dialNode(peer, n)
      await waitFor('the node to be subscribed', () => peer.services.pubsub.getSubscribers(topic).some(p => p.toString() === nodeId()))
      const before = transactionCount(n)
      const forged = await forge('3')

      await peer.services.pubsub.publish(topic, dagCbor.encode(forged))

      await expectCutOff(peer, /^gossiped a transaction that does not check: .*signature/i)
      await n.node.lineage.settled()
      expect(n.node.lineage.transaction(transactionHash(forged))).toBeUndefined()
      expect(transactionCount(n)).toBe(before)
    })

    it(`a message over GOSSIP_MAX_MESSAGE_BYTES (${GOSSIP_MAX_MESSAGE_BYTES}) is refused, nothing is stored, and its sender is cut off`, async () => {
      const peer = await hostile()
      peer.services.pubsub.subscribe(topic)
      await dialNode(peer, n)
      await waitFor('the node to be subscribed', () => peer.services.pubsub.getSubscribers(topic).some(p => p.toString() === nodeId()))
      const before = transactionCount(n)
      const big = { ...await sign('4', { name: 'big' }), data: JSON.stringify({ name: 'x'.repeat(GOSSIP_MAX_MESSAGE_BYTES) }) }

      await peer.services.pubsub.publish(topic, dagCbor.encode(big))
      await waitFor('the peer to be cut off', () => deniedWhy(peer) !== undefined)
      await n.node.lineage.settled()

      // (Its hash cannot be taken: the data is over the field limit, so look for its nonce.)
      expect(n.node.store.db.prepare('SELECT count(*) AS n FROM transactions WHERE nonce = ?').get(big.nonce)).toEqual({ n: 0 })
      expect(transactionCount(n)).toBe(before)
      expect(deniedWhy(peer)).toMatch(/limit is/)
    })
  })

  describe('sync answers', () => {
    /** The node syncs from every peer that speaks the sync protocol as soon as identify says so. */
    const syncFrom = async (answer: Answerer): Promise<HostilePeer> => {
      const peer = await hostile()
      await serveSync(peer, answer)
      await dialNode(peer, n)
      return peer
    }
    const failure = (peer: HostilePeer): JobNotification | undefined =>
      notifications.find(x => x.method === 'lineage:sync:failed' && (x.params as { peer_id: string }).peer_id === peer.peerId.toString())
    const keyOf = (r: TransactionRequest): [number, string] => [r.timestamp, transactionHash(r)]

    it('a page holding a forged transaction is stored nowhere, not even its valid transactions, and the peer is cut off', async () => {
      const valid = await sign('6', { name: '#6' })
      const forged = await forge('7')
      const before = transactionCount(n)
      const peer = await syncFrom(request => request.t === 'ranges'
        ? { t: 'ranges', answers: [{ lo: null, hi: null, keys: [keyOf(valid), keyOf(forged)] }] }
        : { t: 'transactions', transactions: [valid, forged] })

      await expectCutOff(peer, /sent a transaction that does not check/)
      await waitFor('the sync failure event', () => failure(peer) !== undefined)
      expect(failure(peer)?.params).toMatchObject({ token_key: tokenKey, error: { data: { name: 'ForgedTransactionError' } } })
      await n.node.lineage.settled()
      expect(n.node.lineage.transaction(transactionHash(valid))).toBeUndefined()
      expect(n.node.lineage.transaction(transactionHash(forged))).toBeUndefined()
      expect(transactionCount(n)).toBe(before)
    })

    it('a page holding a transaction that was not asked for is stored nowhere, and the peer is cut off', async () => {
      const asked = await sign('8', { name: '#8' })
      const unasked = await sign('9', { name: '#9' })
      const before = transactionCount(n)
      const peer = await syncFrom(request => request.t === 'ranges'
        ? { t: 'ranges', answers: [{ lo: null, hi: null, keys: [keyOf(asked)] }] }
        : { t: 'transactions', transactions: [asked, unasked] })

      await expectCutOff(peer, /which was not asked for/)
      await waitFor('the sync failure event', () => failure(peer) !== undefined)
      expect(failure(peer)?.params).toMatchObject({ token_key: tokenKey, error: { data: { name: 'SyncProtocolError' } } })
      await n.node.lineage.settled()
      expect(n.node.lineage.transaction(transactionHash(asked))).toBeUndefined()
      expect(n.node.lineage.transaction(transactionHash(unasked))).toBeUndefined()
      expect(transactionCount(n)).toBe(before)
    })

    it('an answer that is not dag-cbor gets the peer cut off', async () => {
      const peer = await syncFrom(() => new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0x01]))
      await expectCutOff(peer, /not dag-cbor/)
      await waitFor('the sync failure event', () => failure(peer) !== undefined)
      expect(failure(peer)?.params).toMatchObject({ token_key: tokenKey, error: { data: { name: 'SyncProtocolError' } } })
    })

    it('a peer whose stream breaks off mid-sync (as an honest one that stops may) is not cut off', async () => {
      const peer = await hostile()
      await peer.handle(SYNC_PROTOCOL, async stream => {
        await lpStream(stream).read()
        stream.abort(new Error('going away'))
      })
      await dialNode(peer, n)
      await waitFor('the sync failure event', () => failure(peer) !== undefined)
      expect(failure(peer)?.params).toMatchObject({ token_key: tokenKey, error: { data: { name: 'SyncInterruptedError' } } })
      expect(deniedWhy(peer)).toBeUndefined()
      expect(connected(peer)).toBe(true)
    })

    it('an answer announcing more than SYNC_MAX_MESSAGE_BYTES gets the peer cut off', async () => {
      const peer = await hostile()
      await peer.handle(SYNC_PROTOCOL, async stream => {
        await lpStream(stream).read()
        stream.send(varint(SYNC_MAX_MESSAGE_BYTES + 1))
        stream.send(new Uint8Array(1024))
      })
      await dialNode(peer, n)
      await expectCutOff(peer, /size limit|too long/i)
    })
  })

  describe('sync requests', () => {
    /** A second, honest node catches up from the node: it still serves after the hostile peer was cut off. */
    const expectHonestPeerSyncs = async (): Promise<void> => {
      const honest = await startTestNode()
      cleanups.push(async () => { await honest.stop() })
      honest.node.replication.follow(COLLECTION.chain_id, COLLECTION.token_address)
      await retryingDial(async () => { await honest.node.replication.connect(tcpAddress(n)) })
      const expected = transactionCount(n)
      await waitFor('the honest node to catch up', () => honest.node.replication.follows()[0]?.transactions === expected)
    }

    const prefixes: Array<[string, Uint8Array]> = [
      ['a size just over SYNC_MAX_MESSAGE_BYTES', varint(SYNC_MAX_MESSAGE_BYTES + 1)],
      ['a size in a prefix longer than any allowed size needs (2^40)', varint(2 ** 40)],
      ['a length prefix that never ends', new Uint8Array(64).fill(0xff)],
    ]
    for (const [what, prefix] of prefixes) {
      it(`a request announcing ${what} closes the stream and cuts the peer off; the node keeps serving honest peers`, async () => {
        const peer = await hostile()
        const stream = await retryingDial(async () => await peer.dialProtocol(dialTarget(multiaddr(tcpAddress(n))), SYNC_PROTOCOL))
        stream.send(prefix)
        stream.send(new Uint8Array(4096).fill(7))

        await expectCutOff(peer, /size limit/)
        expect(stream.status).not.toBe('open')
        await expectHonestPeerSyncs()
      })
    }

    it(`a stream carrying more than SYNC_MAX_REQUESTS_PER_STREAM (${SYNC_MAX_REQUESTS_PER_STREAM}) requests is ended`, async () => {
      const peer = await hostile()
      const stream = await retryingDial(async () => await peer.dialProtocol(dialTarget(multiaddr(tcpAddress(n))), SYNC_PROTOCOL))
      const lp = lpStream(stream)
      const request = dagCbor.encode({ t: 'get', hashes: [] })
      for (let i = 0; i < SYNC_MAX_REQUESTS_PER_STREAM; i++) {
        await lp.write(request)
        expect(dagCbor.decode((await lp.read()).subarray())).toEqual({ t: 'transactions', transactions: [] })
      }
      await lp.write(request).catch(() => {})
      await expect(lp.read()).rejects.toThrow()
    })
  })

  describe('gossip floods (a low limit on a second host over the same store)', () => {
    it('a peer sending more gossip messages than the limit is cut off', async () => {
      const limit = { maxMessagesPerSecond: 1, rateWindowMs: 20_000 }
      // The host's gater asks the replication built on it, as in the node.
      const gate: { replication?: Replication } = {}
      const host: P2pHost = createP2pHost({ privateKey: await generateKeyPair('Ed25519'), logger: testLogger }, {
        host: '127.0.0.1',
        port: 0,
        isDenied: peerId => gate.replication?.isDenied(peerId) === true,
      })
      await host.start()
      cleanups.push(async () => { await host.stop() })
      const victim = createReplication({ store: n.node.store, lineage: n.node.lineage, host, log: testLogger.forComponent('lineage:test:replication') }, { gossip: limit })
      gate.replication = victim
      await victim.start()
      cleanups.push(async () => { await victim.stop() })

      const peer = await hostile()
      peer.services.pubsub.subscribe(topic)
      const address = host.listenAddresses().find(x => !x.includes('/ws')) ?? ''
      await peer.dial(dialTarget(multiaddr(address)))
      await waitFor('the host to be subscribed', () => peer.services.pubsub.getSubscribers(topic).some(p => p.equals(host.libp2p.peerId)))
      const before = transactionCount(n)

      // Replays of a stored transaction: each one checks, so only their number gets the peer cut off.
      const allowed = limit.maxMessagesPerSecond * limit.rateWindowMs / 1000
      for (let i = 0; i < allowed * 2; i++) await peer.services.pubsub.publish(topic, dagCbor.encode(binding)).catch(() => {})

      const why = (): string | undefined => victim.status().denied.find(d => d.peer_id === peer.peerId.toString())?.why
      await waitFor('the flooding peer to be cut off', () => why() !== undefined && host.connections().length === 0)
      expect(why()).toBe(`sent more than ${limit.maxMessagesPerSecond} gossip messages a second`)
      await expectRefused(peer, address)
      expect(transactionCount(n)).toBe(before)
    })
  })
})
