import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EncodedBlock } from '../../../src-main/dag/index.js'
import type { GcProgressEvent } from '../../../src-main/lineage/pins/index.js'
import { bytesOf, cborBlock, cids, openPins, put, rawBlock, setSlotHead, storedCids, versionChain } from './helpers.js'
import type { PinsFixture } from './helpers.js'

const sorted = (list: Iterable<string>): string[] => [...list].sort()

describe('garbage collection (real SQLite store and blockstore)', () => {
  let f: PinsFixture
  beforeEach(() => { f = openPins({ walkSliceBlocks: 2 }) })
  afterEach(() => { f.close() })

  /** Pinned, slot-head, contract and direct-pinned DAGs plus garbage; returns what GC must free. */
  async function populate (): Promise<{ keep: EncodedBlock[], garbage: EncodedBlock[] }> {
    const pinned = versionChain('pinned', 4)
    const slot = versionChain('slot', 3)
    const contract = await rawBlock('\0asm contract code')
    const direct = versionChain('direct', 3)
    const orphans = [await rawBlock('orphan 1'), await rawBlock('orphan 2'), ...versionChain('deleted-token', 2)]
    const shared = await rawBlock('image shared by a pinned DAG and garbage')
    const pinnedRoot = await cborBlock({ version: pinned[3]!.cid, image: shared.cid })
    const garbageRoot = await cborBlock({ image: shared.cid })
    put(f.blockstore, ...pinned, ...slot, contract, ...direct, ...orphans, shared, pinnedRoot, garbageRoot)

    await f.pins.add(pinnedRoot.cid, { name: 'collection' })
    await f.pins.add(direct[2]!.cid, { recursive: false })
    setSlotHead(f.store, { data_key: 'dk' }, slot[2]!.cid)
    f.store.db.prepare('INSERT INTO meta_contracts (meta_contract_id, cid, name, owner_public_key, builtin, created_at) VALUES (?, ?, ?, NULL, ?, 0)').run('mine', contract.cid.toString(), 'mine', 0)
    f.store.db.prepare('INSERT INTO meta_contracts (meta_contract_id, cid, name, owner_public_key, builtin, created_at) VALUES (?, ?, ?, NULL, ?, 0)').run('open', '', 'open', 1)
    return {
      keep: [...pinned, shared, pinnedRoot, ...slot, contract, direct[2]!],
      garbage: [...orphans, direct[0]!, direct[1]!, garbageRoot],
    }
  }

  it('frees exactly the unreachable blocks, after a dry run that reports the same set and deletes nothing', async () => {
    const { keep, garbage } = await populate()
    const before = storedCids(f.store)

    const preview = await f.pins.gc({ dryRun: true })
    expect(sorted(preview.freed)).toEqual(sorted(cids(garbage)))
    expect(preview.bytes).toBe(bytesOf(garbage))
    expect(storedCids(f.store)).toEqual(before)

    const events: GcProgressEvent[] = []
    const result = await f.pins.gc({ onProgress: e => events.push(e) })
    expect(result).toEqual(preview)
    expect(sorted(storedCids(f.store))).toEqual(sorted(cids(keep)))
    expect(events.at(-1)).toEqual({ type: 'lineage:gc:progress', phase: 'sweep', checked: keep.length + garbage.length, freed: garbage.length, bytes: bytesOf(garbage) })
    expect(events.filter(e => e.phase === 'mark').at(-1)).toMatchObject({ checked: keep.length, freed: 0 })
    expect(f.store.integrityCheck()).toBe('ok')

    // Every pin still covers its whole DAG, and a second GC has nothing left to free.
    expect(f.pins.ls().map(p => p.blocks)).toEqual([6, 1])
    expect(await f.pins.gc()).toEqual({ freed: [], bytes: 0 })
  })

  it('frees a DAG once it is unpinned, but never a slot head\'s history', async () => {
    const chain = versionChain('token', 3)
    put(f.blockstore, ...chain)
    await f.pins.add(chain[2]!.cid)
    setSlotHead(f.store, { data_key: 'dk' }, chain[1]!.cid)
    f.pins.rm(chain[2]!.cid)
    expect((await f.pins.gc()).freed).toEqual([chain[2]!.cid.toString()])
    expect(sorted(storedCids(f.store))).toEqual(sorted(cids(chain.slice(0, 2))))
  })

  it('follows the links of a block it first met through a direct pin', async () => {
    const chain = versionChain('both', 3)
    const newer = versionChain('both', 4)[3]!
    put(f.blockstore, ...chain, newer)
    await f.pins.add(newer.cid)
    await f.pins.add(chain[2]!.cid, { recursive: false })
    // The newest pin's root is walked first, so the walk meets chain[2] without its links before the recursive pin reaches it.
    f.store.db.prepare('UPDATE pins SET created_at = created_at + 1000 WHERE cid = ?').run(chain[2]!.cid.toString())
    expect(await f.pins.gc()).toEqual({ freed: [], bytes: 0 })
  })

  it('deletes nothing when aborted before it starts, while marking, or before the sweep commits', async () => {
    const { garbage } = await populate()
    const before = storedCids(f.store)
    await expect(f.pins.gc({ signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })

    for (const phase of ['mark', 'sweep'] as const) {
      const controller = new AbortController()
      const gc = f.pins.gc({ signal: controller.signal, onProgress: e => { if (e.phase === phase) controller.abort() } })
      await expect(gc).rejects.toMatchObject({ name: 'AbortError', message: 'The garbage collection was aborted.' })
      expect(storedCids(f.store)).toEqual(before)
    }
    expect(f.store.integrityCheck()).toBe('ok')
    expect((await f.pins.gc()).freed).toHaveLength(garbage.length)
  })

  it('keeps what writers commit while it marks: new slot heads, new pins, blocks that arrive late', async () => {
    const [slot, late, pinnedLate] = [versionChain('busy', 3), versionChain('late', 2), await rawBlock('pinned during the mark')]
    const next = versionChain('busy', 4)[3]!
    const filler = await Promise.all(Array.from({ length: 8 }, async (_, i) => await rawBlock(`garbage ${i}`)))
    // `late`'s head is a slot head whose previous version is not here yet.
    put(f.blockstore, ...slot, late[1]!, pinnedLate, ...filler)
    setSlotHead(f.store, { data_key: 'a' }, slot[2]!.cid)
    setSlotHead(f.store, { data_key: 'b' }, late[1]!.cid)

    let wrote = false
    const result = await f.pins.gc({
      onProgress: e => {
        if (e.phase !== 'mark' || wrote) return
        wrote = true
        // What the validator, an import and pins.add commit between two slices of the mark.
        f.store.db.transaction(() => {
          f.blockstore.putSync(next.cid, next.bytes)
          setSlotHead(f.store, { data_key: 'a' }, next.cid)
        })()
        put(f.blockstore, late[0]!)
        f.store.db.prepare('INSERT INTO pins (cid, recursive, name, created_at) VALUES (?, 1, ?, 0)').run(pinnedLate.cid.toString(), '')
      },
    })
    expect(wrote).toBe(true)
    expect(sorted(result.freed)).toEqual(sorted(cids(filler)))
    expect(sorted(storedCids(f.store))).toEqual(sorted(cids([...slot, next, ...late, pinnedLate])))
  })

  it('runs one GC at a time', async () => {
    const { garbage } = await populate()
    const [first, second] = await Promise.all([f.pins.gc(), f.pins.gc()])
    expect(first.freed).toHaveLength(garbage.length)
    expect(second).toEqual({ freed: [], bytes: 0 })
  })

  it('deletes nothing when a root cannot be read or its links cannot be followed', async () => {
    const { garbage } = await populate()
    const before = storedCids(f.store)
    f.store.db.prepare('INSERT INTO meta_contracts (meta_contract_id, cid, name, owner_public_key, builtin, created_at) VALUES (?, ?, ?, NULL, 0, 0)').run('bad', 'not a cid', 'bad')
    await expect(f.pins.gc()).rejects.toMatchObject({ name: 'GcRootError', message: expect.stringContaining('meta_contracts table holds "not a cid"') })
    f.store.db.prepare('DELETE FROM meta_contracts WHERE meta_contract_id = ?').run('bad')

    // dag-json: a codec whose links the walk does not read (dag-pb's it does: UnixFS snapshots).
    const jsonBytes = new TextEncoder().encode('{"a":1}')
    const dagJson = CID.createV1(0x0129, await sha256.digest(jsonBytes))
    const head = await cborBlock({ folder: dagJson })
    put(f.blockstore, head, { cid: dagJson, bytes: jsonBytes })
    setSlotHead(f.store, { data_key: 'pb' }, head.cid)
    await expect(f.pins.gc()).rejects.toMatchObject({ name: 'UnsupportedCodecError' })
    expect(storedCids(f.store)).toEqual(new Set([...before, head.cid.toString(), dagJson.toString()]))
    expect(garbage.length).toBeGreaterThan(0)
  })
})
