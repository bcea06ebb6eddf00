import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { BlockEntry, SqliteBlockstore } from '../store/index.js'
import { throwIfAborted } from './abort.js'
import { readCar } from './car-read.js'
import { CAR_PROGRESS_EVENT, IMPORT_BATCH_BLOCKS, IMPORT_BATCH_BYTES } from './constants.js'
import type { CarProgressOptions } from './progress.js'

export interface ImportCarOptions extends AbortOptions, CarProgressOptions {
  /** Largest block accepted; defaults to MAX_BLOCK_BYTES. */
  maxBlockBytes?: number
}

export interface ImportCarResult {
  /** The roots the CAR header names. */
  roots: CID[]
  /** Blocks in the file, including any the blockstore already had. */
  blocks: number
  /** Bytes of block data in the file. */
  bytes: number
}

/**
 * Imports a CAR (v1, or the v1 payload of a v2) into the blockstore, all or nothing: every block
 * is checked against its CID, and only when the whole file is good are the blocks stored, in one
 * SQLite transaction. Until then they wait in the blockstore's staging area (a TEMP table that
 * spills to disk), so memory stays at about one batch however large the file; the price is
 * writing each block twice. On any error or abort the staged blocks are dropped. (A bulk import
 * that keeps the good blocks of a damaged file reads it with `readCar` instead.)
 *
 * Throws InvalidCarError (not a CAR, cut short, malformed), CarBlockTooLargeError,
 * CarBlockMismatchError, UnsupportedHashError, AbortError; the blockstore is unchanged then.
 */
export async function importCar (blockstore: SqliteBlockstore, source: AsyncIterable<Uint8Array>, options: ImportCarOptions = {}): Promise<ImportCarResult> {
  const { signal } = options
  throwIfAborted(signal, 'CAR import')
  const staging = blockstore.createStaging()
  try {
    const car = await readCar(source, options)
    try {
      let batch: BlockEntry[] = []
      let batchBytes = 0
      let blocks = 0
      let bytes = 0
      for await (const entry of car.entries) {
        if (entry.refused !== undefined) throw entry.refused
        batch.push(entry)
        batchBytes += entry.bytes.byteLength
        blocks++
        bytes += entry.bytes.byteLength
        options.onProgress?.({ type: CAR_PROGRESS_EVENT, blocks, bytes })
        if (batch.length >= IMPORT_BATCH_BLOCKS || batchBytes >= IMPORT_BATCH_BYTES) {
          staging.addSync(batch)
          batch = []
          batchBytes = 0
        }
      }
      staging.addSync(batch)
      throwIfAborted(signal, 'CAR import')
      staging.commitSync()
      return { roots: car.roots, blocks, bytes }
    } finally {
      await car.close()
    }
  } finally {
    staging.discardSync()
  }
}
