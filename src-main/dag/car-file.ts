import fs from 'node:fs'
import { promisify } from 'node:util'
import * as CarBufferWriter from '@ipld/car/buffer-writer'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { throwIfAborted } from './abort.js'
import { CAR_PROGRESS_EVENT, CAR_WRITE_CHUNK_BYTES } from './constants.js'
import type { CarProgressOptions } from './progress.js'
import type { EncodedBlock } from './version-block.js'

export interface WriteCarFileResult {
  blocks: number
  bytes: number
}

const write = promisify(fs.write)
const fsync = promisify(fs.fsync)
const close = promisify(fs.close)

/**
 * Writes a CAR v1 file into a file descriptor opened for writing (which this closes) with these roots and `blocks`, in the order given. The sections are encoded
 * by @ipld/car's buffer writer into one reused chunk of CAR_WRITE_CHUNK_BYTES, written with one
 * `write` each time it fills: memory stays at a chunk and a block whatever the file's size, no
 * promise lives per block, and the event loop gets a turn at every chunk. The file is flushed to
 * disk before this resolves. Throws what the block source throws, AbortError, and file system
 * errors; a failed write may leave a partial file, which the caller removes.
 */
export async function writeCarFile (fd: number, roots: CID[], blocks: AsyncIterable<EncodedBlock>, options: AbortOptions & CarProgressOptions = {}): Promise<WriteCarFileResult> {
  const chunk = new ArrayBuffer(CAR_WRITE_CHUNK_BYTES)
  let sections = CarBufferWriter.createWriter(chunk, { headerSize: 0 })
  const flush = async (bytes: Uint8Array): Promise<void> => {
    for (let offset = 0; offset < bytes.byteLength;) offset += (await write(fd, bytes, offset, bytes.byteLength - offset, null)).bytesWritten
  }
  const flushChunk = async (): Promise<void> => {
    await flush(sections.bytes.subarray(0, sections.byteOffset))
    sections = CarBufferWriter.createWriter(chunk, { headerSize: 0 })
  }
  let count = 0
  let bytes = 0
  try {
    await flush(CarBufferWriter.createWriter(new ArrayBuffer(CarBufferWriter.headerLength({ roots })), { roots }).close())
    for await (const block of blocks) {
      throwIfAborted(options.signal, 'CAR export')
      const length = CarBufferWriter.blockLength(block)
      if (sections.byteOffset + length > CAR_WRITE_CHUNK_BYTES) await flushChunk()
      if (length > CAR_WRITE_CHUNK_BYTES) {
        // Larger than a chunk: a section of its own.
        const own = CarBufferWriter.createWriter(new ArrayBuffer(length), { headerSize: 0 })
        CarBufferWriter.addBlock(own, block)
        await flush(own.bytes)
      } else {
        CarBufferWriter.addBlock(sections, block)
      }
      count++
      bytes += block.bytes.byteLength
      options.onProgress?.({ type: CAR_PROGRESS_EVENT, blocks: count, bytes })
    }
    await flushChunk()
    await fsync(fd)
  } finally {
    await close(fd)
  }
  return { blocks: count, bytes }
}
