import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { AbortError, linksOf, MAX_BLOCK_BYTES, verifyBlock } from '../../dag/index.js'
import { blockKey } from './dag-walk.js'
import type { ReadBlock } from './dag-walk.js'
import { FetchedBlockInvalidError, FetchLimitError } from './errors.js'

/**
 * Gets a block this node lacks from elsewhere (the node wires bitswap's `want`). It resolves with
 * the block's bytes or throws; pins checks the bytes against the CID before storing them.
 */
export type FetchBlock = (cid: CID, options: AbortOptions) => Promise<Uint8Array>

/** Running totals of a DAG made local: blocks found (held or fetched), and those fetched. */
export interface FetchTotals {
  blocks: number
  bytes: number
  fetchedBlocks: number
  fetchedBytes: number
}

export interface FetchDagContext {
  read: ReadBlock
  /** Stores a block that was checked against its CID. */
  store: (cid: CID, bytes: Uint8Array) => void
  fetchBlock: FetchBlock
  /** Blocks fetched at once. */
  concurrency: number
  /** Most blocks this DAG may fetch. */
  maxFetchedBlocks: number
}

export interface FetchDagOptions extends AbortOptions {
  onProgress?: (totals: FetchTotals) => void
}

/**
 * Makes a DAG local: walks it from `root` (only the root unless `recursive`), reading the blocks
 * this node holds and fetching the others, up to `concurrency` at a time since each fetch is a
 * network round trip. Every fetched block is checked against its CID and size before it is stored.
 * The first failure aborts the fetches still running and is thrown; blocks already fetched stay
 * (they are valid, unpinned, and GC frees them if nothing pins them later).
 */
export async function fetchDag (context: FetchDagContext, root: CID, recursive: boolean, options: FetchDagOptions = {}): Promise<FetchTotals> {
  const totals: FetchTotals = { blocks: 0, bytes: 0, fetchedBlocks: 0, fetchedBytes: 0 }
  const stop = new AbortController()
  const signal = options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal])
  const seen = new Set([blockKey(root)])
  const pending: CID[] = [root]
  const running = new Set<Promise<void>>()

  let started = 0
  const fetchOne = async (cid: CID): Promise<Uint8Array> => {
    if (++started > context.maxFetchedBlocks) throw new FetchLimitError(root.toString(), context.maxFetchedBlocks)
    const bytes = await context.fetchBlock(cid, { signal })
    if (bytes.byteLength > MAX_BLOCK_BYTES || !verifyBlock(cid, bytes)) throw new FetchedBlockInvalidError(cid.toString(), root.toString())
    context.store(cid, bytes)
    totals.fetchedBlocks++
    totals.fetchedBytes += bytes.byteLength
    return bytes
  }
  const visit = async (cid: CID): Promise<void> => {
    const bytes = context.read(cid) ?? await fetchOne(cid)
    totals.blocks++
    totals.bytes += bytes.byteLength
    options.onProgress?.({ ...totals })
    if (!recursive) return
    for (const link of linksOf(cid, bytes)) {
      const key = blockKey(link)
      if (seen.has(key)) continue
      seen.add(key)
      pending.push(link)
    }
  }

  try {
    while (pending.length > 0 || running.size > 0) {
      if (options.signal?.aborted === true) throw new AbortError('pin')
      while (pending.length > 0 && running.size < context.concurrency) {
        const task: Promise<void> = visit(pending.pop() as CID).finally(() => running.delete(task))
        running.add(task)
      }
      await Promise.race(running)
    }
  } catch (err) {
    stop.abort()
    await Promise.allSettled(running)
    if (options.signal?.aborted === true) throw new AbortError('pin')
    throw err
  }
  return totals
}
