import type { CID } from 'multiformats/cid'
import type { BlockEntry, BlockStaging } from '../../store/index.js'

/**
 * Where the importer puts a snapshot's blocks: held in memory up to `batch`, then moved to the
 * snapshot's staging table in one SQLite transaction. Nothing reaches the blockstore (or GC's
 * view) until the snapshot commits its blocks, its pin and its row together.
 */
export class StagedWriter {
  private pending: BlockEntry[] = []
  /** Multihashes of the blocks written: identical documents share a leaf, counted once. */
  private readonly seen = new Set<string>()
  blocks = 0
  bytes = 0

  constructor (private readonly staging: BlockStaging, private readonly batch: number) {}

  // The importer's WritableStorage: async in shape, synchronous in fact.
  async put (cid: CID, bytes: Uint8Array): Promise<CID> {
    const key = Buffer.from(cid.multihash.bytes).toString('latin1')
    if (this.seen.has(key)) return cid
    this.seen.add(key)
    this.blocks++
    this.bytes += bytes.byteLength
    this.pending.push({ cid, bytes })
    if (this.pending.length >= this.batch) this.flush()
    return cid
  }

  flush (): void {
    if (this.pending.length === 0) return
    this.staging.addSync(this.pending)
    this.pending = []
  }
}
