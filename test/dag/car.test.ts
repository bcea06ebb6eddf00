import * as dagCbor from '@ipld/dag-cbor'
import { CarBlockIterator, CarWriter } from '@ipld/car'
import { afterEach, describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'
import { sha256 } from 'multiformats/hashes/sha2'
import { CAR_PROGRESS_EVENT, MAX_BLOCK_BYTES, encodeVersionBlock, exportCar, importCar } from '../../src-main/dag/index.js'
import type { CarProgressEvent, EncodedBlock } from '../../src-main/dag/index.js'
import { chunked, collect, openBlockstore, version } from './helpers.js'
import type { OpenBlockstore } from './helpers.js'

async function rawBlock (bytes: Uint8Array): Promise<EncodedBlock> {
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

async function cborBlock (value: unknown): Promise<EncodedBlock> {
  const bytes = dagCbor.encode(value)
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(bytes)), bytes }
}

/** A CAR written by @ipld/car itself, so the import is tested on input it did not produce. */
async function carOf (roots: CID[], blocks: EncodedBlock[]): Promise<Uint8Array> {
  const { writer, out } = CarWriter.create(roots)
  const bytes = collect(out)
  for (const block of blocks) await writer.put(block)
  await writer.close()
  return await bytes
}

/** A slow source: each chunk waits a timer turn, so the import really is waiting while others write. */
const WRITE_PACING_MS = 1
/** How long the stalled source hangs before the caller gives up: the import is waiting by then. */
const STALL_BEFORE_ABORT_MS = 50

async function blocksIn (car: Uint8Array): Promise<EncodedBlock[]> {
  const blocks: EncodedBlock[] = []
  for await (const block of await CarBlockIterator.fromBytes(car)) blocks.push(block)
  return blocks
}

async function rawBlocks (n: number): Promise<EncodedBlock[]> {
  return await Promise.all(Array.from({ length: n }, async (_, i) => await rawBlock(new TextEncoder().encode(`block number ${i}`))))
}

describe('CAR export and import', () => {
  const opened: OpenBlockstore[] = []
  const open = (): OpenBlockstore => {
    const o = openBlockstore()
    opened.push(o)
    return o
  }
  afterEach(() => { for (const o of opened.splice(0)) o.close() })

  /**
   * A collection block linking two version chains (3 and 2 versions), an image (raw) from two
   * places and a nested link: 8 distinct blocks reachable from the collection.
   */
  const writeCollection = async (source: OpenBlockstore): Promise<{ root: CID, cids: string[] }> => {
    const chain = (n: number, tag: string): EncodedBlock[] => {
      const blocks: EncodedBlock[] = []
      for (let i = 1; i <= n; i++) {
        const previous = blocks.at(-1)?.cid
        blocks.push(encodeVersionBlock(version(i, { content: { tag, i }, ...(previous === undefined ? {} : { previous }) })))
      }
      return blocks
    }
    const a = chain(3, 'a')
    const b = chain(2, 'b')
    const image = await rawBlock(new Uint8Array(5000).fill(7))
    const meta = await cborBlock({ image: image.cid, note: 'nested' })
    const collection = await cborBlock({ tokens: [a.at(-1)?.cid, b.at(-1)?.cid], cover: image.cid, meta: { deep: [meta.cid] } })
    const all = [collection, ...a, ...b, image, meta]
    source.blockstore.putManySync(all)
    return { root: collection.cid, cids: all.map(x => x.cid.toString()).sort() }
  }

  it('round-trips into a fresh store with identical CIDs and bytes, each block once', async () => {
    const source = open()
    const { root, cids } = await writeCollection(source)
    const exportEvents: CarProgressEvent[] = []
    const car = await collect(exportCar(source.blockstore, [root], { onProgress: e => exportEvents.push(e) }))

    const exported = await blocksIn(car)
    expect(exported.map(b => b.cid.toString()).sort()).toEqual(cids)
    expect(exported[0]?.cid.toString()).toBe(root.toString())
    expect(exportEvents).toHaveLength(8)
    expect(exportEvents.at(-1)).toEqual({ type: CAR_PROGRESS_EVENT, blocks: 8, bytes: exported.reduce((n, b) => n + b.bytes.length, 0) })

    const target = open()
    expect(target.blockCount()).toBe(0)
    const result = await importCar(target.blockstore, chunked(car, 333))
    expect(result.roots.map(r => r.toString())).toEqual([root.toString()])
    expect(result.blocks).toBe(8)
    expect(target.blockCount()).toBe(8)
    for (const block of exported) {
      expect(target.blockstore.getSync(block.cid)).toEqual(source.blockstore.getSync(block.cid))
    }
    // Same DAG, same order: the fresh store exports the very same bytes.
    expect(await collect(exportCar(target.blockstore, [root]))).toEqual(car)
  })

  it('exports several roots, sharing blocks once', async () => {
    const source = open()
    const shared = await rawBlock(new TextEncoder().encode('shared'))
    const one = await cborBlock({ file: shared.cid })
    const two = await cborBlock({ file: shared.cid, other: 1 })
    source.blockstore.putManySync([shared, one, two])
    const car = await collect(exportCar(source.blockstore, [one.cid, two.cid]))
    expect((await blocksIn(car)).map(b => b.cid.toString())).toEqual([one.cid, shared.cid, two.cid].map(c => c.toString()))
    const reader = await CarBlockIterator.fromBytes(car)
    expect((await reader.getRoots()).map(r => r.toString())).toEqual([one.cid.toString(), two.cid.toString()])
  })

  it('export fails with BlockNotFoundError naming a missing block', async () => {
    const source = open()
    const missing = await rawBlock(new TextEncoder().encode('never stored'))
    const parent = await cborBlock({ child: missing.cid })
    source.blockstore.putSync(parent.cid, parent.bytes)
    await expect(collect(exportCar(source.blockstore, [parent.cid]))).rejects.toMatchObject({ name: 'BlockNotFoundError', cid: missing.cid.toString() })
  })

  it('export refuses a block whose links it cannot read, naming the codec', async () => {
    const source = open()
    const bytes = new TextEncoder().encode('{"a":1}')
    const dagJson = CID.createV1(0x0129, await sha256.digest(bytes))
    source.blockstore.putSync(dagJson, bytes)
    await expect(collect(exportCar(source.blockstore, [dagJson]))).rejects.toMatchObject({ name: 'UnsupportedCodecError', code: 0x0129, cid: dagJson.toString() })
  })

  it('export stops cleanly when the consumer stops early', async () => {
    const source = open()
    const blocks = await rawBlocks(50)
    source.blockstore.putManySync(blocks)
    const root = await cborBlock({ all: blocks.map(b => b.cid) })
    source.blockstore.putSync(root.cid, root.bytes)
    const events: CarProgressEvent[] = []
    const received: Uint8Array[] = []
    // Header, then the root's length, CID and bytes: stop after the first block.
    for await (const chunk of exportCar(source.blockstore, [root.cid], { onProgress: e => events.push(e) })) {
      received.push(chunk)
      if (received.length === 4) break
    }
    expect(received[3]).toEqual(root.bytes)
    expect(events.length).toBeGreaterThanOrEqual(1)
    expect(events.length).toBeLessThanOrEqual(2) // of 51: the walk stopped with the consumer
    expect(source.blockCount()).toBe(51) // the connection is free again
  })

  it('refuses the whole CAR when one byte of one block is flipped, storing nothing', async () => {
    const blocks = await rawBlocks(600) // several import batches are staged before the bad block
    const victim = blocks[550] as EncodedBlock
    const car = await carOf([victim.cid], blocks)
    const at = Buffer.from(car).indexOf(Buffer.from(victim.bytes))
    expect(at).toBeGreaterThan(0)
    car[at + 2] = (car[at + 2] as number) ^ 0xff

    const target = open()
    await expect(importCar(target.blockstore, chunked(car))).rejects.toMatchObject({
      name: 'CarBlockMismatchError',
      cid: victim.cid.toString(),
      message: expect.stringContaining(victim.cid.toString()),
    })
    expect(target.blockCount()).toBe(0)
  })

  it('refuses a block over the size limit, storing nothing', async () => {
    const small = await rawBlocks(3)
    const big = await rawBlock(new Uint8Array(2000).fill(1))
    const car = await carOf([big.cid], [...small, big])
    const target = open()
    await expect(importCar(target.blockstore, chunked(car), { maxBlockBytes: 1000 })).rejects.toMatchObject({
      name: 'CarBlockTooLargeError', cid: big.cid.toString(), size: 2000, limit: 1000,
    })
    expect(target.blockCount()).toBe(0)
  })

  it('refuses a block over MAX_BLOCK_BYTES by default, and takes one exactly at it', async () => {
    const atLimit = await rawBlock(new Uint8Array(MAX_BLOCK_BYTES).fill(2))
    const over = await rawBlock(new Uint8Array(MAX_BLOCK_BYTES + 1).fill(3))
    const target = open()
    await expect(importCar(target.blockstore, chunked(await carOf([over.cid], [over]), 65536))).rejects.toMatchObject({ name: 'CarBlockTooLargeError', limit: MAX_BLOCK_BYTES })
    expect(target.blockCount()).toBe(0)
    expect((await importCar(target.blockstore, chunked(await carOf([atLimit.cid], [atLimit]), 65536))).blocks).toBe(1)
    expect(target.blockstore.getSync(atLimit.cid)).toEqual(atLimit.bytes)
  })

  it('refuses a section claiming a huge length before buffering it', async () => {
    const header = await carOf([], [])
    // A section length varint of 2^40, then a few bytes: the claim alone must be refused.
    const forged = Uint8Array.from([...header, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 2, 3])
    const target = open()
    await expect(importCar(target.blockstore, chunked(forged))).rejects.toMatchObject({ name: 'CarBlockTooLargeError', size: 2 ** 40 })
  })

  it('refuses input that is not a CAR, storing nothing', async () => {
    const target = open()
    const text = new TextEncoder().encode('{"name": "definitely not a CAR file"}\n'.repeat(20))
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)
    for (const input of [text, random, new Uint8Array(0), Uint8Array.from([0x00])]) {
      await expect(importCar(target.blockstore, chunked(input))).rejects.toMatchObject({ name: 'InvalidCarError', message: expect.stringContaining('Not a valid CAR file') })
    }
    expect(target.blockCount()).toBe(0)
  })

  it('imports the CARv1 payload of a CARv2 file and ignores its index', async () => {
    const blocks = await rawBlocks(5)
    const v1 = await carOf([blocks[0]!.cid], blocks)
    const pragma = Uint8Array.from([0x0a, 0xa1, 0x67, ...new TextEncoder().encode('version'), 0x02])
    const header = new Uint8Array(40)
    const view = new DataView(header.buffer)
    view.setBigUint64(16, BigInt(pragma.length + header.length), true) // data offset
    view.setBigUint64(24, BigInt(v1.length), true) // data size
    view.setBigUint64(32, BigInt(pragma.length + header.length + v1.length), true) // index offset
    const index = new TextEncoder().encode('an index this importer does not read')
    const v2 = Uint8Array.from([...pragma, ...header, ...v1, ...index])
    const target = open()
    const result = await importCar(target.blockstore, chunked(v2, 64))
    expect(result.roots.map(r => r.toString())).toEqual([blocks[0]!.cid.toString()])
    expect(result.blocks).toBe(5)
    expect(target.blockCount()).toBe(5)
  })

  it('refuses a CAR cut short, storing nothing', async () => {
    const car = await carOf([], await rawBlocks(20))
    const target = open()
    await expect(importCar(target.blockstore, chunked(car.subarray(0, car.length - 5)))).rejects.toMatchObject({ name: 'InvalidCarError', message: expect.stringContaining('Unexpected end of data') })
    expect(target.blockCount()).toBe(0)
  })

  it('refuses a block whose hash function it cannot check', async () => {
    const bytes = new TextEncoder().encode('sha3')
    const car = await carOf([], [{ cid: CID.createV1(raw.code, Digest.create(0x16, new Uint8Array(32))), bytes }])
    const target = open()
    await expect(importCar(target.blockstore, chunked(car))).rejects.toMatchObject({ name: 'UnsupportedHashError', code: 0x16 })
  })

  it('passes the source\'s own error through unchanged', async () => {
    const car = await carOf([], await rawBlocks(5))
    async function * failing (): AsyncGenerator<Uint8Array> {
      yield car.subarray(0, 60)
      throw Object.assign(new Error('disk went away'), { code: 'EIO' })
    }
    const target = open()
    await expect(importCar(target.blockstore, failing())).rejects.toMatchObject({ message: 'disk went away', code: 'EIO' })
    expect(target.blockCount()).toBe(0)
  })

  it('reports progress after every block and counts block bytes', async () => {
    const blocks = await rawBlocks(40)
    const car = await carOf([], blocks)
    const target = open()
    const events: CarProgressEvent[] = []
    const result = await importCar(target.blockstore, chunked(car, 50), { onProgress: e => events.push(e) })
    const total = blocks.reduce((n, b) => n + b.bytes.length, 0)
    expect(events).toHaveLength(40)
    expect(events.map(e => e.blocks)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(events.every(e => e.type === 'lineage:car:progress')).toBe(true)
    expect(events.at(-1)).toEqual({ type: 'lineage:car:progress', blocks: 40, bytes: total })
    expect(result).toEqual({ roots: [], blocks: 40, bytes: total })
  })

  it('counts blocks it already had, and stores each block once', async () => {
    const blocks = await rawBlocks(10)
    const target = open()
    target.blockstore.putManySync(blocks.slice(0, 4))
    const result = await importCar(target.blockstore, chunked(await carOf([], [...blocks, ...blocks.slice(0, 3)])))
    expect(result.blocks).toBe(13)
    expect(target.blockCount()).toBe(10)
  })

  it('aborted mid-import stores nothing and throws AbortError', async () => {
    const car = await carOf([], await rawBlocks(700))
    const target = open()
    const controller = new AbortController()
    const onProgress = (e: CarProgressEvent): void => { if (e.blocks === 600) controller.abort() }
    await expect(importCar(target.blockstore, chunked(car), { signal: controller.signal, onProgress })).rejects.toMatchObject({ name: 'AbortError' })
    expect(target.blockCount()).toBe(0)
    expect(target.store.db.prepare("SELECT count(*) AS n FROM temp.sqlite_master WHERE name LIKE 'block_staging_%'").get()).toEqual({ n: 0 })
  })

  it('abort interrupts a source that has stalled', async () => {
    const car = await carOf([], await rawBlocks(10))
    let released = false
    async function * stalled (): AsyncGenerator<Uint8Array> {
      try {
        yield car.subarray(0, 100)
        await new Promise(() => {}) // never delivers the rest
      } finally {
        released = true
      }
    }
    const target = open()
    const controller = new AbortController()
    setTimeout(() => { controller.abort() }, STALL_BEFORE_ABORT_MS)
    await expect(importCar(target.blockstore, stalled(), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(target.blockCount()).toBe(0)
    expect(released).toBe(false) // a pending generator cannot be closed; the import does not wait for it
  })

  it('lets other writers use the store while an import waits, and keeps their writes when it fails', async () => {
    const blocks = await rawBlocks(10)
    const car = await carOf([], blocks)
    car[car.length - 1] = (car[car.length - 1] as number) ^ 0xff // the last block is damaged
    const target = open()
    const other = await rawBlock(new TextEncoder().encode('written by the validator'))
    async function * slow (): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < car.length; i += 100) {
        // Meanwhile the node goes on writing, each write its own committed transaction.
        target.store.db.transaction(() => {
          target.blockstore.putSync(other.cid, other.bytes)
          target.store.setSetting('last-write', String(i))
        })()
        await new Promise(resolve => setTimeout(resolve, WRITE_PACING_MS))
        yield car.subarray(i, i + 100)
      }
    }
    await expect(importCar(target.blockstore, slow())).rejects.toMatchObject({ name: 'CarBlockMismatchError', cid: blocks[9]?.cid.toString() })
    expect(target.blockCount()).toBe(1)
    expect(target.blockstore.hasSync(other.cid)).toBe(true)
    expect(target.store.getSetting('last-write')).toBe(String(Math.floor((car.length - 1) / 100) * 100))
  })

  it('drops its staged blocks quietly when the store stops mid-import', async () => {
    const car = await carOf([], await rawBlocks(600))
    const target = openBlockstore()
    const onProgress = (e: CarProgressEvent): void => { if (e.blocks === 400) target.store.stop() }
    await expect(importCar(target.blockstore, chunked(car), { onProgress })).rejects.toMatchObject({ name: 'StoreNotOpenError' })
    target.store.start()
    expect(target.blockCount()).toBe(0)
    target.close()
  })

  it('refuses to start when already aborted', async () => {
    const target = open()
    await expect(importCar(target.blockstore, chunked(await carOf([], [])), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
    await expect(collect(exportCar(target.blockstore, [], { signal: AbortSignal.abort() }))).rejects.toMatchObject({ name: 'AbortError' })
  })
})
