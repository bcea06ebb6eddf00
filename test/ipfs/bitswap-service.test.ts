import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { BITSWAP_PROTOCOL, createBitswapService } from '../../src-main/ipfs/index.js'
import type { BitswapService, BitswapServiceInit } from '../../src-main/ipfs/index.js'
import { createP2pHost, dialTarget } from '../../src-main/p2p/index.js'
import type { P2pHost } from '../../src-main/p2p/index.js'
import { createBlockstore, createStore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore } from '../../src-main/store/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { testLog, testLogger } from '../helpers/logger.js'
import { postRpc } from '../helpers/rpc.js'
import { startTestNode } from '../helpers/test-node.js'
import { tempDir } from '../helpers/temp-dir.js'

interface Peer { host: P2pHost, blockstore: SqliteBlockstore, bitswap: BitswapService }

async function block (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** Two of the node's own parts (host, SQLite blockstore, bitswap) per peer, on loopback. */
describe('bitswap service on the libp2p host over the SQLite blockstore', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c() })

  async function peer (init: BitswapServiceInit = {}): Promise<Peer> {
    const t = tempDir()
    const store = createStore({ log: testLog }, { dataDir: t.dir })
    store.start()
    const host = createP2pHost({ privateKey: await generateKeyPair('Ed25519'), logger: testLogger }, { host: '127.0.0.1', port: 0 })
    await host.start()
    const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
    const bitswap = createBitswapService({ libp2p: host.libp2p, blockstore, logger: testLogger }, init)
    await bitswap.start()
    cleanups.push(() => { t.cleanup() }, () => { store.stop() }, async () => { await host.stop() }, async () => { await bitswap.stop() })
    return { host, blockstore, bitswap }
  }

  it('start and stop undo each other: the protocol is registered only while started, twice is harmless', async () => {
    const a = await peer()
    expect(a.host.libp2p.getProtocols()).toContain(BITSWAP_PROTOCOL)
    await a.bitswap.start()
    expect(a.bitswap.isStarted()).toBe(true)
    await a.bitswap.stop()
    await a.bitswap.stop()
    expect(a.bitswap.isStarted()).toBe(false)
    expect(a.host.libp2p.getProtocols()).not.toContain(BITSWAP_PROTOCOL)
    const wanted = await block('x')
    await expect(a.bitswap.want(wanted.cid)).rejects.toMatchObject({ name: 'BitswapNotStartedError' })
    await a.bitswap.start()
    expect(a.host.libp2p.getProtocols()).toContain(BITSWAP_PROTOCOL)
  })

  it('want fetches a block from a connected peer, checks and stores it; a held block needs no peer', async () => {
    const a = await peer()
    const b = await peer()
    const held = await block('held by b')
    b.blockstore.putSync(held.cid, held.bytes)
    await a.host.libp2p.dial(dialTarget(multiaddr(b.host.listenAddresses()[0] ?? '')))
    const events: string[] = []
    const bytes = await a.bitswap.want(held.cid, { onProgress: e => events.push(e.type) })
    expect(Buffer.from(bytes)).toEqual(Buffer.from(held.bytes))
    expect(Buffer.from(a.blockstore.getSync(held.cid) ?? [])).toEqual(Buffer.from(held.bytes))
    expect(events).toContain('bitswap:block')
    // Now local: answered from the store even with bitswap's peers gone.
    await b.host.stop()
    expect(Buffer.from(await a.bitswap.want(held.cid))).toEqual(Buffer.from(held.bytes))
  })

  it('a block nobody sends ends with BlockUnavailableError after the timeout; an aborted want with AbortError', async () => {
    const a = await peer({ fetchTimeoutMs: 300 })
    const absent = await block('absent')
    await expect(a.bitswap.want(absent.cid)).rejects.toMatchObject({ name: 'BlockUnavailableError', cid: absent.cid.toString(), message: `Block ${absent.cid.toString()} is not on this node and no peer is connected to fetch it from. Connect to a peer that has it, then try again.` })
    const controller = new AbortController()
    const wanting = a.bitswap.want(absent.cid, { signal: controller.signal })
    controller.abort()
    await expect(wanting).rejects.toMatchObject({ name: 'AbortError' })
    expect(a.blockstore.hasSync(absent.cid)).toBe(false)
  })
})

describe('an offline node', () => {
  it('has no host and no bitswap: pinning a block it lacks fails at once, saying why', async () => {
    const running = await startTestNode({ offline: true })
    try {
      expect(running.node.p2p).toBeUndefined()
      const absent = await block('not here')
      const token = readApiToken(running.node.config.dataDir) ?? ''
      const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'pin_add', params: [absent.cid.toString()] }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
      expect(json).toMatchObject({ error: { code: -32030, message: expect.stringContaining('this node cannot fetch blocks from peers (it is offline)') } })
    } finally {
      await running.stop()
    }
  }, 60_000)
})
