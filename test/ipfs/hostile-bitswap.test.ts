import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import type { Connection, Stream } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BITSWAP_PROTOCOL, FETCH_TIMEOUT_MS, MAX_MESSAGE_BYTES } from '../../src-main/ipfs/index.js'
import { encodeVersionBlock } from '../../src-main/dag/index.js'
import { transactionHash } from '../../src-main/lineage/signing/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { dialTarget } from '../../src-main/p2p/index.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'

/** Protobuf varint (also the length prefix bitswap frames messages with). */
function varint (n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Uint8Array.from(out)
}

const field = (tag: number, bytes: Uint8Array): Uint8Array => Buffer.concat([varint(tag), varint(bytes.byteLength), bytes])

/**
 * A bitswap 1.2.0 message with one block, written by hand from the published protobuf
 * (`Message.payload = 3`, `Block.prefix = 1`, `Block.data = 2`) so that it can lie: the prefix
 * names `cid`'s version, codec and hash, and `data` is whatever the peer chooses to send.
 */
function blockMessage (cid: CID, data: Uint8Array): Uint8Array {
  const prefix = Buffer.concat([varint(cid.version), varint(cid.code), varint(cid.multihash.code), varint(cid.multihash.size)])
  const block = Buffer.concat([field(0x0a, prefix), field(0x12, data)])
  return field(0x1a, block)
}

const frame = (message: Uint8Array): Uint8Array => Buffer.concat([varint(message.byteLength), message])

async function rawBlock (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/**
 * A raw libp2p peer that speaks bitswap by hand: when our node sends it a wantlist, it answers with
 * whatever `reply` returns, each entry written on its own new stream, as bitswap peers do.
 */
interface RawPeer {
  libp2p: Libp2p
  /** Every message our node sent this peer (wantlists, blocks, presences), raw. */
  wantlists: Uint8Array[]
  streamErrors: string[]
  /** Resolves once a message our node sent satisfies `test`; fails naming `what` on the deadline. */
  received(what: string, test: (message: Buffer) => boolean): Promise<void>
}

async function hostilePeer (reply: (wantlist: Uint8Array) => Uint8Array[]): Promise<RawPeer> {
  const libp2p = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() },
  })
  const wantlists: Uint8Array[] = []
  const streamErrors: string[] = []
  await libp2p.handle(BITSWAP_PROTOCOL, (stream: Stream, connection: Connection) => {
    void (async () => {
      const chunks: Uint8Array[] = []
      for await (const chunk of stream) chunks.push(chunk.subarray())
      await stream.close().catch(() => {})
      const wantlist = Buffer.concat(chunks)
      wantlists.push(wantlist)
      for (const bytes of reply(wantlist)) {
        const out = await libp2p.dialProtocol(connection.remotePeer, BITSWAP_PROTOCOL)
        try {
          if (!out.send(bytes)) await out.onDrain()
          await out.close()
        } catch (err) {
          streamErrors.push((err as Error).message)
        }
      }
    })().catch((err: Error) => { streamErrors.push(err.message) })
  })
  const received = async (what: string, test: (message: Buffer) => boolean): Promise<void> => {
    await waitFor(what, () => wantlists.some(w => test(Buffer.from(w))), { detail: () => `${wantlists.length} messages held` })
  }
  return { libp2p, wantlists, streamErrors, received }
}

/** A bitswap message asking for one block, with "tell me if you don't have it" set. */
function wantMessage (cid: CID): Uint8Array {
  // Entry: block = 1, priority = 2, wantType = 4 (0: block), sendDontHave = 5.
  const entry = Buffer.concat([field(0x0a, cid.bytes), Uint8Array.from([0x10, 1, 0x20, 0, 0x28, 1])])
  return field(0x0a, field(0x0a, entry))
}

describe('hostile bitswap peers', () => {
  let running: TestNode
  let token: string
  let tcpAddress: string
  let id = 0

  async function call<T> (method: string, ...params: unknown[]): Promise<{ result?: T, error?: { code: number, message: string } }> {
    const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    return json as { result?: T, error?: { code: number, message: string } }
  }
  const blockCount = (): number => (running.node.store.db.prepare('SELECT count(*) AS n FROM blocks').get() as { n: number }).n
  const holds = (cid: CID): boolean => running.node.store.db.prepare('SELECT 1 FROM blocks WHERE multihash = ?').get(Buffer.from(cid.multihash.bytes)) !== undefined

  beforeAll(async () => {
    running = await startTestNode()
    token = readApiToken(running.node.config.dataDir) ?? ''
    tcpAddress = running.node.status().listenAddresses.find(a => !a.includes('/ws')) ?? ''
  }, 120_000)
  afterAll(async () => { await running?.stop() })

  it('a block that does not hash to the wanted CID gets its sender cut off, and it and an oversized message store nothing; the pin ends with a clear error', async () => {
    const wanted = await rawBlock('the block the node asked for')
    const forged = new TextEncoder().encode('something else entirely')
    const forgedCid = CID.createV1(raw.code, await sha256.digest(forged))
    // A whole message over the size limit that carries the right block among 1 MiB fillers: were
    // the limit not enforced, the wanted block would be stored and the pin would succeed.
    const fillers = await Promise.all(Array.from({ length: Math.ceil(MAX_MESSAGE_BYTES / (1024 * 1024)) + 1 }, async (_, i) => await rawBlock(String(i).repeat(1024 * 1024))))
    const oversized = frame(Buffer.concat([blockMessage(wanted.cid, wanted.bytes), ...fillers.map(f => blockMessage(f.cid, f.bytes))]))
    expect(oversized.byteLength).toBeGreaterThan(MAX_MESSAGE_BYTES)
    const peer = await hostilePeer(wantlist => Buffer.from(wantlist).includes(Buffer.from(wanted.cid.bytes))
      // The block under the wanted CID's prefix with other bytes, then the oversized message.
      ? [frame(blockMessage(wanted.cid, forged)), oversized]
      : [])
    try {
      await peer.libp2p.dial(dialTarget(multiaddr(tcpAddress)))
      const before = blockCount()
      const answer = await call('pin_add', wanted.cid.toString())
      // The block it sent hashes to another CID, one the node never asked for: the peer is cut off.
      expect(answer.error).toMatchObject({ code: -32035, message: `Block ${wanted.cid.toString()} is not on this node and no peer is connected to fetch it from. Connect to a peer that has it, then try again.` })
      expect(running.node.replication.status().denied.find(d => d.peer_id === peer.libp2p.peerId.toString())?.why).toContain(`sent block ${forgedCid.toString()}, which this node did not ask for`)
      expect(running.node.p2p?.libp2p.getConnections(peer.libp2p.peerId)).toEqual([])
      // The node did ask this peer, and the peer did answer with its lies.
      expect(peer.wantlists.some(w => Buffer.from(w).includes(Buffer.from(wanted.cid.bytes)))).toBe(true)
      expect(blockCount()).toBe(before)
      expect(holds(wanted.cid)).toBe(false)
      expect(holds(forgedCid)).toBe(false)
      for (const filler of fillers) expect(holds(filler.cid)).toBe(false)
      expect((await call<unknown[]>('pin_ls')).result).toEqual([])
    } finally {
      await peer.libp2p.stop()
    }
  }, FETCH_TIMEOUT_MS + 60_000)

  it('pin_cancel stops a pin that waits for a block: it ends with -32038 and pins nothing', async () => {
    const absent = await rawBlock('a block nobody has')
    const before = blockCount()
    const pinning = call('pin_add', absent.cid.toString())
    // Cancel as soon as the node has the run (the two requests race; each try is one round trip).
    let cancelled = 0
    for (let tries = 0; cancelled === 0 && tries < 1000; tries++) cancelled = (await call<{ cancelled: number }>('pin_cancel', absent.cid.toString())).result?.cancelled ?? 0
    expect(cancelled).toBe(1)
    expect((await pinning).error).toMatchObject({ code: -32038, message: 'The pin was aborted.' })
    expect((await call<unknown[]>('pin_ls', absent.cid.toString())).result).toEqual([])
    expect(blockCount()).toBe(before)
    expect((await call('pin_cancel', 'not-a-cid')).error).toMatchObject({ code: -32602 })
  }, 60_000)

  it('a peer that wants a version before it exists gets it as soon as the engine writes it', async () => {
    const writer = evmSigner()
    const collection = { chain_id: '1', token_address: '0x0000000000000000000000000000000000000b17' }
    const sign = async (method: 'contract' | 'metadata', tokenId: string, data: string) =>
      await writer.sign({ method, ...collection, token_id: tokenId, meta_contract_id: 'erc721', alias: '', version: 'v1', data, mcdata: '' })
    const binding = await sign('contract', '', '{}')
    const data = JSON.stringify({ name: 'Not written yet #9' })
    const request = await sign('metadata', '9', data)
    // Version blocks are deterministic: the CID is known before the node writes the block.
    const future = encodeVersionBlock({ timestamp: request.timestamp, content: JSON.parse(data) as { name: string }, transaction: { hash: transactionHash(request), timestamp: request.timestamp, meta_contract_id: 'erc721', method: 'metadata', value: data } })
    const peer = await hostilePeer(() => [])
    try {
      await peer.libp2p.dial(dialTarget(multiaddr(tcpAddress)))
      const out = await peer.libp2p.dialProtocol(dialTarget(multiaddr(tcpAddress)), BITSWAP_PROTOCOL)
      out.send(frame(wantMessage(future.cid)))
      await out.close()
      // The node answered DONT_HAVE (a presence naming the CID): it holds the want.
      await peer.received('a DONT_HAVE naming the wanted CID', m => m.includes(Buffer.from(future.cid.bytes)))
      expect(peer.wantlists.some(m => Buffer.from(m).includes(Buffer.from(future.bytes)))).toBe(false)

      for (const signed of [binding, request]) await call('publish', signed)
      await running.node.lineage.settled()
      const receipt = await call<{ status: string, heads: string[] }>('get_transaction_receipt', transactionHash(request))
      expect(receipt.result).toMatchObject({ status: 'applied', heads: [future.cid.toString()] })
      await peer.received('the block, once written', m => m.includes(Buffer.from(future.bytes)))
    } finally {
      await peer.libp2p.stop()
    }
  }, 60_000)

  it('the same hand-written message with the right bytes is stored and pinned (the path above is real)', async () => {
    const wanted = await rawBlock('an honest block')
    const peer = await hostilePeer(wantlist => Buffer.from(wantlist).includes(Buffer.from(wanted.cid.bytes)) ? [frame(blockMessage(wanted.cid, wanted.bytes))] : [])
    try {
      await peer.libp2p.dial(dialTarget(multiaddr(tcpAddress)))
      const answer = await call<{ cid: string, blocks: number, bytes: number }>('pin_add', wanted.cid.toString())
      expect(answer.result).toMatchObject({ cid: wanted.cid.toString(), blocks: 1, bytes: wanted.bytes.byteLength })
      expect(holds(wanted.cid)).toBe(true)
      const stored = running.node.store.db.prepare('SELECT bytes FROM blocks WHERE multihash = ?').get(Buffer.from(wanted.cid.multihash.bytes)) as { bytes: Buffer }
      expect(stored.bytes).toEqual(Buffer.from(wanted.bytes))
    } finally {
      await peer.libp2p.stop()
    }
  }, 60_000)
})
