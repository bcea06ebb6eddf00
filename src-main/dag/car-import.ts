import { asyncIterableReader, limitReader, readBlockHead, readHeader } from '@ipld/car/decoder'
import type { BytesReader } from '@ipld/car/decoder'
import type { AbortOptions } from '@libp2p/interface'
import { CID } from 'multiformats/cid'
import type { BlockEntry, SqliteBlockstore } from '../store/index.js'
import { throwIfAborted } from './abort.js'
import { CAR_PROGRESS_EVENT, IMPORT_BATCH_BLOCKS, IMPORT_BATCH_BYTES, MAX_BLOCK_BYTES, MAX_CAR_HEADER_BYTES, MAX_CID_BYTES } from './constants.js'
import { AbortError, CarBlockMismatchError, CarBlockTooLargeError, InvalidCarError } from './errors.js'
import { verifyBlock } from './hashing.js'
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

/** Longest varint the CAR decoder reads (8 bytes). */
const VARINT_MAX_BYTES = 8

/** Names of the errors importCar raises itself; anything else the CAR decoder throws means bad input. */
const OWN_ERRORS = new Set(['AbortError', 'CarBlockMismatchError', 'CarBlockTooLargeError', 'InvalidCarError', 'UnsupportedHashError'])

/**
 * Imports a CAR (v1, or the v1 payload of a v2) into the blockstore, all or nothing: every block
 * is checked against its CID, and only when the whole file is good are the blocks stored, in one
 * SQLite transaction. Until then they wait in the blockstore's staging area (a TEMP table that
 * spills to disk), so memory stays at about one batch however large the file; the price is
 * writing each block twice. On any error or abort the staged blocks are dropped.
 *
 * Throws InvalidCarError (not a CAR, cut short, malformed), CarBlockTooLargeError,
 * CarBlockMismatchError, UnsupportedHashError, AbortError; the blockstore is unchanged then.
 */
export async function importCar (blockstore: SqliteBlockstore, source: AsyncIterable<Uint8Array>, options: ImportCarOptions = {}): Promise<ImportCarResult> {
  const { signal } = options
  const limit = options.maxBlockBytes ?? MAX_BLOCK_BYTES
  throwIfAborted(signal, 'CAR import')
  const staging = blockstore.createStaging()
  const input = abortable(source, signal)
  try {
    const { roots, reader } = await decoding(input, async () => await readCarHeader(asyncIterableReader(input.chunks)))
    let batch: BlockEntry[] = []
    let batchBytes = 0
    let blocks = 0
    let bytes = 0
    while (await decoding(input, async () => (await reader.upTo(1)).length > 0)) {
      throwIfAborted(signal, 'CAR import')
      const block = await decoding(input, async () => await readCarBlock(reader, limit))
      if (!verifyBlock(block.cid, block.bytes)) throw new CarBlockMismatchError(block.cid.toString())
      batch.push(block)
      batchBytes += block.bytes.byteLength
      blocks++
      bytes += block.bytes.byteLength
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
    return { roots, blocks, bytes }
  } finally {
    staging.discardSync()
    await input.close()
  }
}

async function readCarHeader (reader: BytesReader): Promise<{ roots: CID[], reader: BytesReader }> {
  const length = readVarint(await reader.upTo(VARINT_MAX_BYTES))?.value
  if (length === undefined) throw new InvalidCarError('the input is empty or does not start with a CAR header')
  if (length > MAX_CAR_HEADER_BYTES) throw new InvalidCarError(`its header would be ${length} bytes, over the limit of ${MAX_CAR_HEADER_BYTES}`)
  const header = await readHeader(reader)
  if (header.version === 1) return { roots: header.roots, reader }
  // CARv2 wraps a CARv1 payload; read only that payload, not the index after it.
  return { roots: header.roots, reader: limitReader(reader, header.dataSize - (reader.pos - header.dataOffset)) }
}

async function readCarBlock (reader: BytesReader, limit: number): Promise<BlockEntry> {
  // Sizes are checked before anything is buffered: the decoder would otherwise read a section
  // of whatever length the file claims into memory. Peeking at the section's start (a varint
  // and a CID, both small) is enough to refuse it and to name the block.
  const head = await reader.upTo(VARINT_MAX_BYTES + MAX_CID_BYTES)
  const section = readVarint(head)
  if (section === undefined) throw new InvalidCarError('a block section has no length')
  if (section.value > limit + MAX_CID_BYTES) {
    const cid = peekCid(head.subarray(section.length))
    const size = cid === undefined ? section.value : section.value - cid.bytes.byteLength
    throw new CarBlockTooLargeError(cid?.toString(), size, limit)
  }
  const { cid, blockLength } = await readBlockHead(reader)
  if (blockLength < 0) throw new InvalidCarError(`the section of block ${cid.toString()} is shorter than its CID`)
  if (blockLength > limit) throw new CarBlockTooLargeError(cid.toString(), blockLength, limit)
  return { cid, bytes: await reader.exactly(blockLength, true) }
}

/** An unsigned LEB128 varint at the start of `bytes` and its length, or undefined if there is none. */
function readVarint (bytes: Uint8Array): { value: number, length: number } | undefined {
  let value = 0
  for (let i = 0; i < Math.min(bytes.length, VARINT_MAX_BYTES); i++) {
    const byte = bytes[i] as number
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) return { value, length: i + 1 }
  }
  return undefined
}

/** The CID at the start of `bytes`, if one is there; used only to name a refused block. */
function peekCid (bytes: Uint8Array): CID | undefined {
  try {
    return CID.decodeFirst(bytes)[0]
  } catch {
    return undefined
  }
}

interface AbortableSource {
  chunks: AsyncIterable<Uint8Array>
  /** The error the source itself threw, told apart from bad CAR data. */
  failure: { error: unknown } | undefined
  close(): Promise<void>
}

/**
 * Wraps the source so an abort interrupts a read that is waiting on it (a stalled network
 * stream, say), and so the source's own errors are not mistaken for malformed CAR data.
 */
function abortable (source: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): AbortableSource {
  const iterator = source[Symbol.asyncIterator]()
  let onAbort = (): void => {}
  const aborted = new Promise<never>((_resolve, reject) => { onAbort = () => { reject(new AbortError('CAR import')) } })
  // Only ever observed through Promise.race; this keeps an abort after the import from being unhandled.
  aborted.catch(() => {})
  signal?.addEventListener('abort', onAbort, { once: true })
  let done = false
  const wrapper: AbortableSource = {
    failure: undefined,
    chunks: {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          try {
            const next = await Promise.race([iterator.next(), aborted])
            if (next.done === true) done = true
            return next
          } catch (error) {
            if ((error as { name?: unknown }).name !== 'AbortError') wrapper.failure = { error }
            throw error
          }
        },
      }),
    },
    async close () {
      signal?.removeEventListener('abort', onAbort)
      // Release the source (a file handle, a socket) unless it already ended; an aborted read
      // may still be pending inside it, so this does not wait for the source to agree.
      if (!done) void iterator.return?.()?.catch(() => {})
    },
  }
  return wrapper
}

/** Runs a decoder step, reporting the decoder's own complaints as InvalidCarError. */
async function decoding<T> (input: AbortableSource, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (err) {
    const name = (err as { name?: unknown }).name
    if (input.failure !== undefined || (typeof name === 'string' && OWN_ERRORS.has(name))) throw err
    throw new InvalidCarError(err instanceof Error ? err.message : String(err), { cause: err })
  }
}
