import fs from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CarWriter } from '@ipld/car/writer'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { throwIfAborted } from './abort.js'
import { CAR_PROGRESS_EVENT } from './constants.js'
import type { CarProgressOptions } from './progress.js'
import type { EncodedBlock } from './version-block.js'

export interface WriteCarFileResult {
  blocks: number
  bytes: number
}

/**
 * Writes a new CAR v1 file (a path that must not exist, or a file descriptor opened for writing,
 * which this closes) with these roots and `blocks`, in the order given, streaming: one block in
 * memory at a time, whatever the file's size. The file is flushed to disk before this resolves.
 * Throws what the block source throws, AbortError, and file system errors; a failed write may
 * leave a partial file, which the caller removes.
 */
export async function writeCarFile (file: string | number, roots: CID[], blocks: AsyncIterable<EncodedBlock>, options: AbortOptions & CarProgressOptions = {}): Promise<WriteCarFileResult> {
  const { writer, out } = CarWriter.create(roots)
  const stream = typeof file === 'number' ? fs.createWriteStream('', { fd: file, flush: true }) : fs.createWriteStream(file, { flags: 'wx', flush: true })
  const sink = pipeline(Readable.from(out), stream)
  // A put waits until the file stream takes its bytes; if that stream fails, the put would wait
  // forever, so each put also races the sink's failure.
  const sinkFailed = sink.then(async () => await new Promise<never>(() => {}))
  sinkFailed.catch(() => {})
  let count = 0
  let bytes = 0
  try {
    for await (const block of blocks) {
      throwIfAborted(options.signal, 'CAR export')
      await Promise.race([writer.put(block), sinkFailed])
      count++
      bytes += block.bytes.byteLength
      options.onProgress?.({ type: CAR_PROGRESS_EVENT, blocks: count, bytes })
    }
  } finally {
    await writer.close()
    await sink.catch(() => {})
  }
  await sink
  return { blocks: count, bytes }
}
