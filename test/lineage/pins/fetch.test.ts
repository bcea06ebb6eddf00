import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BlockUnavailableError } from '../../../src-main/ipfs/index.js'
import { createPins } from '../../../src-main/lineage/pins/index.js'
import type { FetchBlock, PinProgressEvent, Pins } from '../../../src-main/lineage/pins/index.js'
import { bytesOf, cborBlock, cids, openPins, put, rawBlock, rowCount, storedCids, versionChain } from './helpers.js'
import type { PinsFixture } from './helpers.js'

/**
 * Pins that fetch missing blocks through an injected fetcher. The fetcher answers from a second
 * real store, the way bitswap answers from a peer's blockstore, and records what was asked.
 */
describe('pins fetching missing blocks (real SQLite on both sides)', () => {
  let ours: PinsFixture
  let peer: PinsFixture
  let asked: string[]
  let pins: Pins
  const fromPeer: FetchBlock = async (cid: CID, options: AbortOptions) => {
    options.signal?.throwIfAborted()
    asked.push(cid.toString())
    const bytes = peer.blockstore.getSync(cid)
    if (bytes === undefined) throw new BlockUnavailableError(cid.toString(), 20_000, 1)
    return bytes
  }
  const withFetcher = (fetchBlock: FetchBlock, concurrency?: number, maxFetchedBlocks?: number): Pins => createPins({ store: ours.store, blockstore: ours.blockstore, log: () => {}, fetchBlock } as never, {
    ...(concurrency === undefined ? {} : { fetchConcurrency: concurrency }),
    ...(maxFetchedBlocks === undefined ? {} : { maxFetchedBlocks }),
  })

  beforeEach(() => {
    ours = openPins()
    peer = openPins()
    asked = []
    pins = withFetcher(fromPeer)
  })
  afterEach(() => {
    ours.close()
    peer.close()
  })

  it('pins a version chain the node does not hold: fetches every block, checks, stores and reports them', async () => {
    const chain = versionChain('remote', 6)
    put(peer.blockstore, ...chain)
    const head = chain[5]!.cid
    const events: PinProgressEvent[] = []
    const pin = await pins.add(head, { name: 'remote', onProgress: e => events.push(e) })
    expect(pin).toMatchObject({ cid: head.toString(), recursive: true, name: 'remote', blocks: 6, bytes: bytesOf(chain) })
    expect(new Set(asked)).toEqual(new Set(cids(chain)))
    expect(asked).toHaveLength(6)
    expect(storedCids(ours.store)).toEqual(new Set(cids(chain)))
    for (const block of chain) expect(Buffer.from(ours.blockstore.getSync(block.cid) ?? [])).toEqual(Buffer.from(block.bytes))
    const fetching = events.filter(e => e.fetchedBlocks !== undefined)
    // One event per fetched block, then the final walk's, which carries the fetch totals.
    expect(fetching.map(e => e.fetchedBlocks)).toEqual([1, 2, 3, 4, 5, 6, 6])
    expect(events.at(-1)).toEqual({ type: 'lineage:pin:progress', blocks: 6, bytes: bytesOf(chain), fetchedBlocks: 6, fetchedBytes: bytesOf(chain) })
    expect(pins.ls()).toEqual([pin])
  })

  it('fetches only what is missing, and nothing when everything is here', async () => {
    const chain = versionChain('partial', 5)
    put(peer.blockstore, ...chain)
    put(ours.blockstore, chain[4]!, chain[3]!, chain[0]!)
    const events: PinProgressEvent[] = []
    await pins.add(chain[4]!.cid, { onProgress: e => events.push(e) })
    expect(asked.sort()).toEqual(cids([chain[1]!, chain[2]!]).sort())
    expect(events.at(-1)).toMatchObject({ blocks: 5, fetchedBlocks: 2, fetchedBytes: bytesOf([chain[1]!, chain[2]!]) })

    asked = []
    const local = versionChain('local', 3)
    put(ours.blockstore, ...local)
    await pins.add(local[2]!.cid)
    expect(asked).toEqual([])
  })

  it('a direct pin fetches the root only; a dag-cbor block\'s links are followed when recursive', async () => {
    const leaf = await rawBlock('leaf')
    const other = await rawBlock('other')
    const root = await cborBlock({ a: leaf.cid, list: [other.cid] })
    put(peer.blockstore, leaf, other, root)
    await pins.add(root.cid, { recursive: false })
    expect(asked).toEqual([root.cid.toString()])
    expect(rowCount(ours.store, 'blocks')).toBe(1)
    await pins.add(root.cid)
    expect(new Set(asked)).toEqual(new Set(cids([root, leaf, other])))
    expect(pins.ls({ cid: root.cid })[0]).toMatchObject({ recursive: true, blocks: 3 })
  })

  it('fetches up to the configured number of blocks at once', async () => {
    const leaves = await Promise.all(Array.from({ length: 12 }, async (_, i) => await rawBlock(`leaf ${i}`)))
    const root = await cborBlock({ leaves: leaves.map(l => l.cid) })
    put(peer.blockstore, root, ...leaves)
    let running = 0
    let most = 0
    const releases: Array<() => void> = []
    const held: FetchBlock = async (cid, options) => {
      running++
      most = Math.max(most, running)
      // Each fetch waits until the test releases it, so how many overlap is exact.
      await new Promise<void>(resolve => releases.push(resolve))
      running--
      return await fromPeer(cid, options)
    }
    let done = false
    const adding = withFetcher(held, 4).add(root.cid).finally(() => { done = true })
    while (!done) {
      await new Promise(resolve => setImmediate(resolve))
      releases.shift()?.()
    }
    const pin = await adding
    expect(pin.blocks).toBe(13)
    expect(most).toBe(4)
  })

  it('a block that does not hash to its CID is not stored, and nothing is pinned', async () => {
    const chain = versionChain('forged', 3)
    put(peer.blockstore, ...chain)
    const forged = withFetcher(async (cid, options) => cid.equals(chain[1]!.cid) ? chain[0]!.bytes : await fromPeer(cid, options))
    await expect(forged.add(chain[2]!.cid)).rejects.toMatchObject({ name: 'FetchedBlockInvalidError', cid: chain[1]!.cid.toString(), root: chain[2]!.cid.toString() })
    expect(ours.blockstore.hasSync(chain[1]!.cid)).toBe(false)
    expect(rowCount(ours.store, 'pins')).toBe(0)
  })

  it('a block no peer has ends the pin with the fetcher\'s error; nothing is pinned', async () => {
    const chain = versionChain('gone', 3)
    put(peer.blockstore, chain[2]!, chain[1]!)
    await expect(pins.add(chain[2]!.cid)).rejects.toMatchObject({ name: 'BlockUnavailableError', cid: chain[0]!.cid.toString() })
    expect(rowCount(ours.store, 'pins')).toBe(0)
    // The blocks that did arrive are valid and stay for a later try (GC frees them if none comes).
    expect(ours.blockstore.hasSync(chain[1]!.cid)).toBe(true)
  })

  it('stops a pin that would fetch more blocks than one pin may, and pins nothing', async () => {
    const chain = versionChain('endless', 6)
    put(peer.blockstore, ...chain)
    await expect(withFetcher(fromPeer, 1, 3).add(chain[5]!.cid)).rejects.toMatchObject({ name: 'FetchLimitError', root: chain[5]!.cid.toString(), limit: 3 })
    expect(asked).toHaveLength(3)
    expect(rowCount(ours.store, 'pins')).toBe(0)
  })

  it('cancelling stops the fetches in flight and pins nothing', async () => {
    const chain = versionChain('cancel', 4)
    put(peer.blockstore, ...chain)
    const controller = new AbortController()
    const stalled = withFetcher(async (cid, options) => {
      if (cid.equals(chain[3]!.cid)) return await fromPeer(cid, options)
      controller.abort()
      // A fetch that only ends when its signal aborts, as a bitswap want does.
      return await new Promise<Uint8Array>((_resolve, reject) => {
        if (options.signal?.aborted === true) reject(new Error('want aborted'))
        options.signal?.addEventListener('abort', () => { reject(new Error('want aborted')) })
      })
    })
    await expect(stalled.add(chain[3]!.cid, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(rowCount(ours.store, 'pins')).toBe(0)
    expect(ours.blockstore.hasSync(chain[2]!.cid)).toBe(false)
  })
})
