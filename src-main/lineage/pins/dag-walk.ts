import type { CID } from 'multiformats/cid'
import { linksOf } from '../../dag/index.js'

/**
 * How a block is known here: by its multihash, as the blockstore keys it (store/migrations.ts),
 * so a block reached through a CIDv0 and a CIDv1, or through two codecs, is one block.
 */
export type BlockKey = string

export function blockKey (cid: CID): BlockKey {
  // latin1 maps each byte to one UTF-16 unit: a compact, exact key for a Set.
  const bytes = cid.multihash.bytes
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

/** Reads a block's bytes, or undefined when the node does not hold it. */
export type ReadBlock = (cid: CID) => Uint8Array | undefined

/** Called for a block the walk needs but the node does not hold; `parent` is the block that links it. */
export type OnMissing = (cid: CID, parent: CID | undefined) => void

interface Step {
  cid: CID
  parent: CID | undefined
  /** Follow this block's links (a recursive pin, a slot's history), or count only the block itself. */
  deep: boolean
}

/**
 * Depth-first walk over DAGs in the blockstore that visits each block once, in slices, so a caller
 * can yield to the event loop between slices. It keeps what it has seen, so roots added later
 * (GC's second look, inside its transaction) cost only their new blocks.
 *
 * A block first seen through a direct pin and later reached recursively is visited again for
 * its links: "seen" is kept separately for shallow and deep visits.
 */
export class DagWalk {
  /** Blocks visited with their links followed. */
  private readonly deep = new Set<BlockKey>()
  /** Blocks visited for themselves only (direct pins). */
  private readonly shallow = new Set<BlockKey>()
  private readonly pending: Step[] = []
  /** Blocks visited so far and their bytes. */
  blocks = 0
  bytes = 0

  constructor (private readonly read: ReadBlock, private readonly onMissing: OnMissing) {}

  add (root: CID, deep: boolean): void {
    this.pending.push({ cid: root, parent: undefined, deep })
  }

  /** True when the walk visited the block (through any root). */
  has (key: BlockKey): boolean {
    return this.deep.has(key) || this.shallow.has(key)
  }

  /** Every block visited so far. */
  * keys (): Generator<BlockKey> {
    yield * this.deep
    for (const key of this.shallow) if (!this.deep.has(key)) yield key
  }

  /**
   * Visits up to `budget` blocks; true once nothing is left. Throws UnsupportedCodecError (from
   * the dag layer) for a block whose links cannot be read: skipping it would leave part of the
   * DAG unaccounted for, which for GC would mean deleting blocks that are still needed.
   */
  step (budget = Number.POSITIVE_INFINITY): boolean {
    for (let visited = 0; visited < budget;) {
      const next = this.pending.pop()
      if (next === undefined) return true
      const key = blockKey(next.cid)
      if (this.deep.has(key) || (!next.deep && this.shallow.has(key))) continue
      const bytes = this.read(next.cid)
      if (bytes === undefined) {
        this.onMissing(next.cid, next.parent)
        continue
      }
      visited++
      if (!this.shallow.has(key)) {
        this.blocks++
        this.bytes += bytes.byteLength
      }
      if (!next.deep) {
        this.shallow.add(key)
        continue
      }
      this.deep.add(key)
      // Reversed so the walk goes depth first in link order, as exportCar does.
      const links = linksOf(next.cid, bytes)
      for (let i = links.length - 1; i >= 0; i--) this.pending.push({ cid: links[i] as CID, parent: next.cid, deep: true })
    }
    return this.pending.length === 0
  }
}
