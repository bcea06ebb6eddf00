import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { SqliteBlockstore } from '../../store/index.js'
import { BlockNotHeldError, UnixfsReadLimitError } from './errors.js'

/**
 * The node's blockstore as `ipfs-unixfs-exporter` reads it, for one request: it reads only
 * blocks held here (a missing one is BlockNotHeldError, never a wait on the network), counts its
 * reads against a budget, and remembers which blocks it read, in order, so a CAR can carry the
 * blocks that prove a path. A store failure is kept in `storeFailure`, so the caller can tell it
 * from a hostile block's decoding error (which the exporter throws as plain Errors too).
 */
export interface GatewaySource {
  get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array>
  /** Blocks read so far, each once, in the order first read. */
  readonly read: ReadonlyMap<string, CID>
  /** What the store threw, if it did. */
  readonly storeFailure: { error: unknown } | undefined
  /** Allows `maxReads` more reads from now on (the read list is kept). */
  setBudget (maxReads: number): void
}

export function createGatewaySource (blockstore: SqliteBlockstore, maxReads = Number.POSITIVE_INFINITY): GatewaySource {
  const read = new Map<string, CID>()
  let reads = 0
  let budget = maxReads
  let storeFailure: { error: unknown } | undefined
  return {
    read,
    get storeFailure () { return storeFailure },
    setBudget (more) {
      reads = 0
      budget = more
    },
    async * get (cid, options) {
      options?.signal?.throwIfAborted()
      if (++reads > budget) throw new UnixfsReadLimitError(`This needs more than the ${budget} blocks one gateway request may read.`)
      let bytes: Uint8Array | undefined
      try {
        bytes = blockstore.getSync(cid)
      } catch (error) {
        storeFailure = { error }
        throw error
      }
      if (bytes === undefined) throw new BlockNotHeldError(cid.toString())
      const key = cid.toString()
      if (!read.has(key)) read.set(key, cid)
      yield bytes
    },
  }
}
