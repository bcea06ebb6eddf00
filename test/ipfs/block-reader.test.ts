import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { createBitswapService, createBlockReader } from '../../src-main/ipfs/index.js'
import type { BitswapService } from '../../src-main/ipfs/index.js'
import { createP2pHost, dialTarget } from '../../src-main/p2p/index.js'
import type { P2pHost } from '../../src-main/p2p/index.js'
import { createBlockstore, createStore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore } from '../../src-main/store/index.js'
import { testLog, testLogger } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

async function block (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** The reader API clients use (ipfs_get), over the node's own host, blockstore and bitswap. */
describe('block reader: held blocks, or one fetched from peers, bounded', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c() })

  function blockstoreOnly (): SqliteBlockstore {
    const t = tempDir()
    const store = createStore({ log: testLog }, { dataDir: t.dir })
    store.start()
    cleanups.push(() => { t.cleanup() }, () => { store.stop() })
    return createBlockstore(store, { transactionRows: ledgerReads })
  }
  async function peer (): Promise<{ host: P2pHost, blockstore: SqliteBlockstore, bitswap: BitswapService }> {
    const blockstore = blockstoreOnly()
    const host = createP2pHost({ privateKey: await generateKeyPair('Ed25519'), logger: testLogger }, { host: '127.0.0.1', port: 0 })
    await host.start()
    const bitswap = createBitswapService({ libp2p: host.libp2p, blockstore, logger: testLogger }, { fetchTimeoutMs: 500 })
    await bitswap.start()
    cleanups.push(async () => { await host.stop() }, async () => { await bitswap.stop() })
    return { host, blockstore, bitswap }
  }

  it('reads what the node holds, and says a missing block cannot be fetched while offline', async () => {
    const blockstore = blockstoreOnly()
    const held = await block('held')
    blockstore.putSync(held.cid, held.bytes)
    const reader = createBlockReader({ blockstore })
    expect(Buffer.from(await reader.read(held.cid))).toEqual(Buffer.from(held.bytes))
    const absent = await block('absent')
    await expect(reader.read(absent.cid)).rejects.toMatchObject({ name: 'BlockNotHeldError', cid: absent.cid.toString(), message: expect.stringContaining('this node is offline') })
  })

  it('fetches a block from a connected peer, checked and stored', async () => {
    const a = await peer()
    const b = await peer()
    const theirs = await block('only b has it')
    b.blockstore.putSync(theirs.cid, theirs.bytes)
    await a.host.libp2p.dial(dialTarget(multiaddr(b.host.listenAddresses()[0] ?? '')))
    const reader = createBlockReader({ blockstore: a.blockstore, bitswap: a.bitswap })
    expect(Buffer.from(await reader.read(theirs.cid))).toEqual(Buffer.from(theirs.bytes))
    expect(a.blockstore.hasSync(theirs.cid)).toBe(true)
  })

  it('keeps at most maxFetches asks open; a finished one frees its place', async () => {
    const a = await peer()
    const reader = createBlockReader({ blockstore: a.blockstore, bitswap: a.bitswap }, { maxFetches: 1 })
    const [one, two] = await Promise.all([block('nobody has one'), block('nobody has two')])
    const first = reader.read(one.cid)
    await expect(reader.read(two.cid)).rejects.toMatchObject({ name: 'ReaderFetchesBusyError', limit: 1 })
    await expect(first).rejects.toMatchObject({ name: 'BlockUnavailableError', cid: one.cid.toString() })
    await expect(reader.read(two.cid)).rejects.toMatchObject({ name: 'BlockUnavailableError', cid: two.cid.toString() })
    expect(a.blockstore.hasSync(one.cid) || a.blockstore.hasSync(two.cid)).toBe(false)
  })
})
