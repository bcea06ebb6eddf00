import { CarWriter } from '@ipld/car/writer'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { throwIfAborted } from './abort.js'
import { getBlock, linksOf } from './blocks.js'
import type { BlockSource } from './blocks.js'
import { CAR_PROGRESS_EVENT } from './constants.js'
import type { EncodedBlock } from './version-block.js'
import type { CarProgressOptions } from './progress.js'

export interface ExportCarOptions extends AbortOptions, CarProgressOptions {}

/**
 * Streams a CAR v1 file holding every block reachable from `roots`, each once, depth first in
 * link order (the order Kubo's `dag export` uses). Throws BlockNotFoundError for a missing block,
 * UnsupportedCodecError for a block whose links cannot be read, AbortError when cancelled; the
 * error arrives after the bytes already produced, so a consumer must discard a failed export.
 */
export async function * exportCar (blockstore: BlockSource, roots: CID[], options: ExportCarOptions = {}): AsyncGenerator<Uint8Array> {
  throwIfAborted(options.signal, 'CAR export')
  yield * carStream(roots, counted(reachableBlocks(blockstore, roots, options), options))
}

/** Reports each block's arrival as it is handed to the CAR writer. */
async function * counted (blocks: AsyncIterable<EncodedBlock>, options: CarProgressOptions): AsyncGenerator<EncodedBlock> {
  let count = 0
  let bytes = 0
  for await (const block of blocks) {
    yield block
    count++
    bytes += block.bytes.byteLength
    options.onProgress?.({ type: CAR_PROGRESS_EVENT, blocks: count, bytes })
  }
}

/**
 * `blocks` as a CAR v1 stream with `roots` in its header. An error while producing it ends the
 * stream with that error, after the bytes already produced (a consumer must discard it; an HTTP
 * response is cut short, so a client sees it incomplete).
 */
export async function * carStream (roots: CID[], blocks: AsyncIterable<EncodedBlock>): AsyncGenerator<Uint8Array> {
  const { writer, out } = CarWriter.create(roots)
  const chunks = out[Symbol.asyncIterator]()
  let failure: { error: unknown } | undefined
  let stopped = false
  // CarWriter is push-based: the walk writes into it while this generator hands its output on.
  // A put resolves only once its bytes were taken, so the walk never runs ahead of the consumer.
  const producing = (async () => {
    try {
      for await (const block of blocks) {
        if (stopped) break
        await writer.put(block)
      }
    } catch (error) {
      failure = { error }
    } finally {
      await writer.close()
    }
  })()
  try {
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value
    await producing
    if (failure !== undefined) throw failure.error
  } finally {
    // The consumer stopped early: let the walk see `stopped` and close, so nothing is left pending.
    stopped = true
    for (let rest = await chunks.next(); rest.done !== true; rest = await chunks.next());
    await producing
  }
}

/** Every block reachable from `roots`, each once, depth first in link order. */
async function * reachableBlocks (blockstore: BlockSource, roots: CID[], options: AbortOptions): AsyncGenerator<EncodedBlock> {
  const seen = new Set<string>()
  const pending = [...roots].reverse()
  for (let cid = pending.pop(); cid !== undefined; cid = pending.pop()) {
    throwIfAborted(options.signal, 'CAR export')
    const key = cid.toString()
    if (seen.has(key)) continue
    seen.add(key)
    const bytes = await getBlock(blockstore, cid, options)
    yield { cid, bytes }
    pending.push(...linksOf(cid, bytes).reverse())
  }
}
