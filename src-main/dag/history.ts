import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { throwIfAborted } from './abort.js'
import { getBlock } from './blocks.js'
import type { BlockSource } from './blocks.js'
import { MAX_HISTORY_VERSIONS } from './constants.js'
import { decodeVersionBlock } from './version-block.js'
import type { VersionBlock } from './version-block.js'

export interface HistoryEntry {
  cid: CID
  block: VersionBlock
}

export interface WalkHistoryOptions extends AbortOptions {
  /** Most versions to yield (newest first); defaults to MAX_HISTORY_VERSIONS. */
  limit?: number
}

/**
 * Yields a slot's versions from `head` back to the first, following `previous` links.
 * Throws BlockNotFoundError naming the first missing block, InvalidVersionBlockError for a
 * block that is not a version, AbortError when cancelled. Stops after `limit` versions.
 */
export async function * walkHistory (blockstore: BlockSource, head: CID, options: WalkHistoryOptions = {}): AsyncGenerator<HistoryEntry> {
  const limit = options.limit ?? MAX_HISTORY_VERSIONS
  let next: CID | undefined = head
  for (let count = 0; next !== undefined && count < limit; count++) {
    throwIfAborted(options.signal, 'history walk')
    const block = decodeVersionBlock(await getBlock(blockstore, next, options))
    yield { cid: next, block }
    next = block.previous
  }
}
