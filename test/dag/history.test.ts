import { afterEach, describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import { encodeVersionBlock, walkHistory } from '../../src-main/dag/index.js'
import type { HistoryEntry } from '../../src-main/dag/index.js'
import { openBlockstore, version } from './helpers.js'
import type { OpenBlockstore } from './helpers.js'

async function all (source: AsyncIterable<HistoryEntry>): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = []
  for await (const entry of source) out.push(entry)
  return out
}

describe('walkHistory', () => {
  let open: OpenBlockstore
  afterEach(() => { open.close() })

  /** Writes versions 1..n as one chain, in one transaction; returns their CIDs, oldest first. */
  const writeChain = (n: number): CID[] => {
    open = openBlockstore()
    const cids: CID[] = []
    open.store.db.transaction(() => {
      for (let i = 1; i <= n; i++) {
        const previous = cids.at(-1)
        const { cid, bytes } = encodeVersionBlock(version(i, previous === undefined ? {} : { previous }))
        open.blockstore.putSync(cid, bytes)
        cids.push(cid)
      }
    })()
    return cids
  }

  it('yields every version from the head back to the first', async () => {
    const cids = writeChain(3)
    const history = await all(walkHistory(open.blockstore, cids[2] as CID))
    expect(history.map(e => e.cid.toString())).toEqual([...cids].reverse().map(c => c.toString()))
    expect(history.map(e => e.block.content)).toEqual([{ name: 'item 3' }, { name: 'item 2' }, { name: 'item 1' }])
    expect(history.map(e => e.block.transaction.timestamp)).toEqual([1_700_000_000_003, 1_700_000_000_002, 1_700_000_000_001])
    expect(history[2]?.block.previous).toBeUndefined()
  })

  it('stops after limit versions', async () => {
    const cids = writeChain(5)
    const history = await all(walkHistory(open.blockstore, cids[4] as CID, { limit: 2 }))
    expect(history.map(e => e.block.content)).toEqual([{ name: 'item 5' }, { name: 'item 4' }])
  })

  it('throws BlockNotFoundError naming the missing block', async () => {
    const cids = writeChain(3)
    await open.blockstore.delete(cids[0] as CID)
    const seen: string[] = []
    const walk = async (): Promise<void> => { for await (const e of walkHistory(open.blockstore, cids[2] as CID)) seen.push(e.cid.toString()) }
    await expect(walk()).rejects.toMatchObject({ name: 'BlockNotFoundError', cid: cids[0]?.toString(), message: expect.stringContaining(cids[0]?.toString() ?? '-') })
    expect(seen).toEqual([cids[2]?.toString(), cids[1]?.toString()])
  })

  it('throws InvalidVersionBlockError when a link leads to something that is not a version', async () => {
    open = openBlockstore()
    const bytes = new TextEncoder().encode('not cbor at all \xff')
    const fake = CID.createV1(0x71, encodeVersionBlock(version(9)).cid.multihash)
    open.blockstore.putSync(fake, bytes)
    await expect(all(walkHistory(open.blockstore, fake))).rejects.toMatchObject({ name: 'InvalidVersionBlockError', field: 'block' })
  })

  it('throws AbortError when cancelled', async () => {
    const cids = writeChain(3)
    const controller = new AbortController()
    const seen: CID[] = []
    const walk = async (): Promise<void> => {
      for await (const entry of walkHistory(open.blockstore, cids[2] as CID, { signal: controller.signal })) {
        seen.push(entry.cid)
        controller.abort()
      }
    }
    await expect(walk()).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen).toEqual([cids[2]])
  })
})
