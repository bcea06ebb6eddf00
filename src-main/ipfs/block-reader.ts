import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { SqliteBlockstore } from '../store/index.js'
import type { BitswapService } from './bitswap.js'
import { MAX_READER_FETCHES } from './constants.js'
import { BlockNotHeldError, ReaderFetchesBusyError } from './errors.js'

export interface BlockReaderComponents {
  blockstore: SqliteBlockstore
  /** Absent on an offline node: only blocks it holds can be read. */
  bitswap?: BitswapService
}

export interface BlockReaderInit {
  /** Blocks fetched from peers at once for readers; defaults to MAX_READER_FETCHES. */
  maxFetches?: number
}

export interface BlockReader {
  /**
   * The block of `cid`: from this node, or else fetched from connected peers by bitswap (checked
   * against the CID and at most MAX_BLOCK_BYTES; stored unpinned, so GC frees it unless something
   * pins it), ending with BlockUnavailableError after bitswap's fetch timeout. Throws
   * BlockNotHeldError when the node cannot fetch (offline), ReaderFetchesBusyError when as many
   * fetches as allowed are running.
   */
  read(cid: CID, options?: AbortOptions): Promise<Uint8Array>
}

/** Reads blocks for API clients: what the node holds, and single blocks from peers, bounded. */
export function createBlockReader ({ blockstore, bitswap }: BlockReaderComponents, init: BlockReaderInit = {}): BlockReader {
  const maxFetches = init.maxFetches ?? MAX_READER_FETCHES
  let fetching = 0
  return {
    async read (cid, options = {}) {
      const held = blockstore.getSync(cid)
      if (held !== undefined) return held
      if (bitswap?.isStarted() !== true) throw new BlockNotHeldError(cid.toString())
      if (fetching >= maxFetches) throw new ReaderFetchesBusyError(maxFetches)
      fetching++
      try {
        return await bitswap.want(cid, options)
      } finally {
        fetching--
      }
    },
  }
}
