import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PinProgressEvent } from '../../../src-main/lineage/pins/index.js'
import { bytesOf, cborBlock, openPins, put, rawBlock, rowCount, setSlotHead, versionChain } from './helpers.js'
import type { PinsFixture } from './helpers.js'

describe('pins (real SQLite store and blockstore)', () => {
  let f: PinsFixture
  beforeEach(() => { f = openPins() })
  afterEach(() => { f.close() })

  it('pins a version chain with its whole history, lists its exact size, and unpins it', async () => {
    const chain = versionChain('milady', 5)
    put(f.blockstore, ...chain)
    const head = chain[4]!.cid
    const events: PinProgressEvent[] = []
    const pin = await f.pins.add(head, { name: 'Milady #1', onProgress: e => events.push(e) })
    expect(pin).toEqual({ cid: head.toString(), recursive: true, name: 'Milady #1', created_at: expect.any(Number), blocks: 5, bytes: bytesOf(chain) })
    expect(events.at(-1)).toEqual({ type: 'lineage:pin:progress', blocks: 5, bytes: bytesOf(chain) })
    expect(f.pins.ls()).toEqual([pin])
    expect(f.pins.ls({ cid: head.toString() })).toEqual([pin])
    // An older version's pin covers only its own part of the history.
    expect((await f.pins.add(chain[1]!.cid)).blocks).toBe(2)
    expect(rowCount(f.store, 'pins')).toBe(2)

    expect(f.pins.rm(head.toString())).toEqual({ cid: head.toString(), recursive: true, name: 'Milady #1', created_at: pin.created_at })
    expect(f.pins.ls({ cid: head })).toEqual([])
    expect(() => f.pins.rm(head)).toThrowError(expect.objectContaining({ name: 'NotPinnedError', message: `${head.toString()} is not pinned.` }))
    expect(rowCount(f.store, 'pins')).toBe(1)
    expect(rowCount(f.store, 'blocks')).toBe(5)
  })

  it('is idempotent: pinning again keeps one row and its date, renames, and only ever widens', async () => {
    const chain = versionChain('idem', 3)
    put(f.blockstore, ...chain)
    const head = chain[2]!.cid
    const direct = await f.pins.add(head, { recursive: false, name: 'first' })
    expect(direct).toMatchObject({ recursive: false, blocks: 1, bytes: chain[2]!.bytes.byteLength })
    const widened = await f.pins.add(head)
    expect(widened).toEqual({ ...direct, recursive: true, blocks: 3, bytes: bytesOf(chain) })
    // A narrower request keeps the recursive pin, and its size stays the whole DAG's.
    expect(await f.pins.add(head, { recursive: false, name: 'renamed' })).toEqual({ ...widened, name: 'renamed' })
    expect(rowCount(f.store, 'pins')).toBe(1)
  })

  it('refuses a CID whose root or any linked block is missing, naming it, and writes nothing', async () => {
    const chain = versionChain('gap', 4)
    put(f.blockstore, chain[0]!, chain[2]!, chain[3]!)
    const head = chain[3]!.cid.toString()
    const missingLink = chain[1]!.cid.toString()
    await expect(f.pins.add(head)).rejects.toMatchObject({
      name: 'BlockMissingError',
      cid: missingLink,
      root: head,
      message: expect.stringContaining(`Block ${missingLink} (part of the DAG of ${head}) is not in this node's blockstore`),
    })
    const absent = (await rawBlock('never stored')).cid.toString()
    await expect(f.pins.add(absent)).rejects.toMatchObject({ name: 'BlockMissingError', message: expect.stringMatching(/not in this node's blockstore, and this node cannot fetch blocks from peers.*Nothing was pinned/) })
    expect(rowCount(f.store, 'pins')).toBe(0)
    // A direct pin needs only the block itself.
    expect(await f.pins.add(head, { recursive: false })).toMatchObject({ recursive: false, blocks: 1 })
  })

  it('follows every dag-cbor link, counts shared blocks once, and treats raw blocks as leaves', async () => {
    const [a, b] = [await rawBlock('image bytes'), await rawBlock('animation bytes')]
    const chain = versionChain('mixed', 2)
    const root = await cborBlock({ files: [a.cid, b.cid, a.cid], nested: { metadata: chain[1]!.cid } })
    put(f.blockstore, a, b, root, ...chain)
    expect(await f.pins.add(root.cid)).toMatchObject({ blocks: 5, bytes: bytesOf([a, b, root, ...chain]) })
  })

  it('refuses DAGs whose links it cannot follow, bad CIDs and bad names, writing nothing', async () => {
    // dag-json: a codec whose links the walk does not read (dag-pb's it does: UnixFS snapshots).
    const jsonBytes = new TextEncoder().encode('{"a":1}')
    const dagJson = CID.createV1(0x0129, await sha256.digest(jsonBytes))
    const root = await cborBlock({ folder: dagJson })
    put(f.blockstore, root, { cid: dagJson, bytes: jsonBytes })
    await expect(f.pins.add(root.cid)).rejects.toMatchObject({ name: 'UnsupportedCodecError' })
    expect(rowCount(f.store, 'pins')).toBe(0)
    const pbBytes = new Uint8Array([0x0a, 0x02, 0x08, 0x01])
    const dagPb = CID.createV1(0x70, await sha256.digest(pbBytes))
    put(f.blockstore, { cid: dagPb, bytes: pbBytes })
    // A direct pin follows no links; a CIDv0 and its CIDv1 are one pin, stored as the CIDv1.
    expect(await f.pins.add(dagPb.toV0().toString(), { recursive: false })).toMatchObject({ cid: dagPb.toString(), blocks: 1 })
    expect(f.pins.ls({ cid: dagPb })).toHaveLength(1)
    f.pins.rm(dagPb.toV0())
    await expect(f.pins.add('not-a-cid')).rejects.toMatchObject({ name: 'InvalidCidError', field: 'cid', message: expect.stringContaining('cid is not a valid CID ("not-a-cid"') })
    await expect(f.pins.add(root.cid, { name: 'x'.repeat(257) })).rejects.toMatchObject({ name: 'InvalidPinNameError', field: 'name' })
    await expect(f.pins.add(root.cid, { name: 'two\nlines' })).rejects.toMatchObject({ name: 'InvalidPinNameError' })
    expect(() => f.pins.rm('bafy')).toThrowError(expect.objectContaining({ name: 'InvalidCidError' }))
    expect(rowCount(f.store, 'pins')).toBe(0)
  })

  it('stops when aborted, before or during the walk, and writes nothing', async () => {
    const slow = openPins({ walkSliceBlocks: 2 })
    try {
      const chain = versionChain('abort', 10)
      put(slow.blockstore, ...chain)
      await expect(slow.pins.add(chain[9]!.cid, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
      const controller = new AbortController()
      const seen: number[] = []
      const adding = slow.pins.add(chain[9]!.cid, { signal: controller.signal, onProgress: e => { seen.push(e.blocks); if (e.blocks >= 4) controller.abort() } })
      await expect(adding).rejects.toMatchObject({ name: 'AbortError' })
      expect(seen).toEqual([2, 4])
      expect(rowCount(slow.store, 'pins')).toBe(0)
    } finally {
      slow.close()
    }
  })

  it('pins every slot head of a token with its history, in one go', async () => {
    const [lore, art, other] = [versionChain('lore', 3), versionChain('art', 2), versionChain('other', 2)]
    put(f.blockstore, ...lore, ...art, ...other)
    setSlotHead(f.store, { data_key: 'dk1', alias: 'lore' }, lore[2]!.cid)
    setSlotHead(f.store, { data_key: 'dk1', meta_contract_id: 'erc721' }, art[1]!.cid)
    setSlotHead(f.store, { data_key: 'dk2' }, other[1]!.cid)

    const all = await f.pins.addToken({ data_key: 'dk1' })
    expect(all.map(p => [p.cid, p.blocks, p.name])).toEqual([
      [art[1]!.cid.toString(), 2, 'dk1 erc721 v1'],
      [lore[2]!.cid.toString(), 3, 'dk1 open lore v1'],
    ])
    expect(rowCount(f.store, 'pins')).toBe(2)
    expect((await f.pins.addToken({ data_key: 'dk1', meta_contract_id: 'open' })).map(p => p.cid)).toEqual([lore[2]!.cid.toString()])
    expect(rowCount(f.store, 'pins')).toBe(2)
    await expect(f.pins.addToken({ data_key: 'dk1', meta_contract_id: 'collab' })).rejects.toMatchObject({ name: 'TokenNotFoundError', message: expect.stringContaining('"collab"') })
    await expect(f.pins.addToken({ data_key: 'nope' })).rejects.toMatchObject({ name: 'TokenNotFoundError' })
  })

  it('pins none of a token\'s slots when one of their histories is incomplete', async () => {
    const [good, broken] = [versionChain('good', 2), versionChain('broken', 3)]
    put(f.blockstore, ...good, broken[1]!, broken[2]!)
    setSlotHead(f.store, { data_key: 'dk', alias: 'a' }, good[1]!.cid)
    setSlotHead(f.store, { data_key: 'dk', alias: 'b' }, broken[2]!.cid)
    await expect(f.pins.addToken({ data_key: 'dk' })).rejects.toMatchObject({ name: 'BlockMissingError', cid: broken[0]!.cid.toString() })
    expect(rowCount(f.store, 'pins')).toBe(0)
  })
})
