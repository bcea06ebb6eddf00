import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { AbortOptions } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { decode as decodeMultihash } from 'multiformats/hashes/digest'
import { AbortError } from '../../dag/index.js'
import { GC_PROGRESS_EVENT, SWEEP_PAGE_ROWS } from './constants.js'
import { blockKey, DagWalk } from './dag-walk.js'
import type { BlockKey, ReadBlock } from './dag-walk.js'
import { GcRootError } from './errors.js'
import type { GcProgressOptions } from './progress.js'
import type { PinTables } from './tables.js'

export interface GcOptions extends AbortOptions, GcProgressOptions {
  /** Report what would be freed, delete nothing. */
  dryRun?: boolean
}

export interface GcResult {
  /** Every block freed (or, in a dry run, that would be), as CIDv1 strings in storage order. */
  freed: string[]
  /** Their total size in bytes. */
  bytes: number
}

export interface GcContext {
  tables: PinTables
  read: ReadBlock
  log: Logger
  /** Blocks the mark visits between yields to the event loop. */
  sliceBlocks: number
}

/**
 * Deletes every block that no root reaches. Roots are the pins (recursive ones with their whole
 * DAG), every slot head with its history (a node never loses current metadata, pinned or not),
 * and the code blocks of deployed meta contracts.
 *
 * Why no fresh block can be lost: the store is one SQLite connection used by one JS thread,
 * and every writer (validator, pins, imports) commits in its own synchronous `db.transaction`,
 * so transactions never interleave. GC marks in slices outside a transaction, so the node keeps
 * serving, then sweeps in one synchronous transaction that first looks at the roots again: a
 * pin or slot head written since the mark began is walked then (stopping at blocks already
 * marked, whose links were marked with them: blocks never change), and so is any block the mark
 * found missing, in case it arrived since. That transaction therefore deletes exactly what a mark
 * and sweep run at its commit would: a writer commits either before it (and is seen) or after
 * it (and finds its blocks gone, which pins.add checks again in its own transaction).
 * Blocks written since the mark began that no root reaches are freed like any other; a CAR
 * import that must survive GC is pinned before or with its import.
 *
 * Cancelling (AbortSignal) before the sweep commits deletes nothing: an abort inside the sweep
 * throws, which rolls its transaction back.
 */
export async function collectGarbage (context: GcContext, options: GcOptions = {}): Promise<GcResult> {
  const { tables, read, log, sliceBlocks } = context
  const { signal, onProgress, dryRun = false } = options
  checkAborted(signal)
  const missing = new Map<BlockKey, CID>()
  const walk = new DagWalk(read, cid => { missing.set(blockKey(cid), cid) })
  const markProgress = (): void => { onProgress?.({ type: GC_PROGRESS_EVENT, phase: 'mark', checked: walk.blocks, freed: 0, bytes: 0 }) }

  addRoots(walk, tables)
  while (!walk.step(sliceBlocks)) {
    markProgress()
    await yieldToEventLoop()
    checkAborted(signal)
  }
  markProgress()
  checkAborted(signal)

  const result = tables.db.transaction((): GcResult => {
    addRoots(walk, tables)
    for (const cid of [...missing.values()]) walk.add(cid, true)
    walk.step()

    const unreachable: Array<{ multihash: Buffer, cid: string }> = []
    let bytes = 0
    let checked = 0
    const sweepProgress = (): void => { onProgress?.({ type: GC_PROGRESS_EVENT, phase: 'sweep', checked, freed: unreachable.length, bytes }) }
    for (let after = 0; ;) {
      const rows = tables.blockPage.all(after, SWEEP_PAGE_ROWS)
      for (const row of rows) {
        const multihash = new Uint8Array(row.multihash.buffer, row.multihash.byteOffset, row.multihash.byteLength)
        if (!walk.has(row.multihash.toString('latin1'))) {
          unreachable.push({ multihash: row.multihash, cid: CID.createV1(row.codec, decodeMultihash(multihash)).toString() })
          bytes += row.size
        }
      }
      checked += rows.length
      const last = rows.at(-1)
      if (last === undefined || rows.length < SWEEP_PAGE_ROWS) break
      after = last.rowid
      sweepProgress()
      checkAborted(signal)
    }
    if (!dryRun) for (const { multihash } of unreachable) tables.removeBlock.run(multihash)
    sweepProgress()
    // The last moment to cancel: throwing here rolls every deletion back.
    checkAborted(signal)
    return { freed: unreachable.map(b => b.cid), bytes }
  }).immediate()

  log('gc %s %d blocks (%d bytes); %d reachable', dryRun ? 'would free' : 'freed', result.freed.length, result.bytes, walk.blocks)
  return result
}

/** Queues every root the tables name now; the walk skips those it already visited. */
function addRoots (walk: DagWalk, tables: PinTables): void {
  for (const pin of tables.allPins.all()) walk.add(root('pins', pin.cid), pin.recursive === 1)
  for (const slot of tables.slotHeads.all()) walk.add(root('slots', slot.head_cid), true)
  for (const contract of tables.contractCids.all()) {
    // A built-in contract ships with the app and has no block; its row names none.
    if (contract.cid !== '') walk.add(root('meta_contracts', contract.cid), true)
  }
}

function root (table: string, value: string): CID {
  try {
    return CID.parse(value)
  } catch {
    throw new GcRootError(table, value)
  }
}

function checkAborted (signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new AbortError('garbage collection')
}
