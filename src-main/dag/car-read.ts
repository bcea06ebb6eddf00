import { asyncIterableReader, limitReader, readBlockHead, readHeader } from '@ipld/car/decoder'
import type { BytesReader } from '@ipld/car/decoder'
import type { AbortOptions } from '@libp2p/interface'
import { CID } from 'multiformats/cid'
import { throwIfAborted } from './abort.js'
import { MAX_BLOCK_BYTES, MAX_CAR_HEADER_BYTES, MAX_CID_BYTES } from './constants.js'
import { AbortError, CarBlockMismatchError, CarBlockTooLargeError, InvalidCarError } from './errors.js'
import type { UnsupportedHashError } from './errors.js'
import { verifyBlock } from './hashing.js'
import { readUvarint } from '../util/index.js'
import type { Uvarint } from '../util/index.js'

export interface ReadCarOptions extends AbortOptions {
  /** Largest block kept; defaults to MAX_BLOCK_BYTES. */
  maxBlockBytes?: number
}

/** A block that failed its check: it is not yielded as a block, and the reading goes on. */
export type RefusedBlockError = CarBlockMismatchError | CarBlockTooLargeError | UnsupportedHashError

/** One section of the file: a block checked against its CID, or one that was not kept and why. */
export type CarEntry =
  | { cid: CID, bytes: Uint8Array, refused?: undefined }
  | { cid: string | undefined, bytes?: undefined, refused: RefusedBlockError }

export interface CarReading {
  /** The roots the header names. */
  roots: CID[]
  /**
   * The file's sections in order. Each block is checked against its CID as it is read; one that
   * fails comes as a refused entry and the next one follows. Throws InvalidCarError when the file
   * is cut short or malformed after its header (the entries before it stand), AbortError when
   * cancelled, and the source's own errors unchanged.
   */
  entries: AsyncGenerator<CarEntry, void, undefined>
  /** Releases the source (a file handle, a socket); safe to call more than once. */
  close(): Promise<void>
}

/** Longest varint the CAR decoder reads (8 bytes). */
const VARINT_MAX_BYTES = 8

/** Names of the errors raised here; anything else the CAR decoder throws means bad input. */
const OWN_ERRORS = new Set(['AbortError', 'CarBlockMismatchError', 'CarBlockTooLargeError', 'InvalidCarError', 'UnsupportedHashError'])

/**
 * Opens a CAR (v1, or the v1 payload of a v2) for reading, section by section, in constant
 * memory: one block at a time, never more than a block's worth of the file. Throws
 * InvalidCarError when the input has no readable header, AbortError when cancelled.
 */
export async function readCar (source: AsyncIterable<Uint8Array>, options: ReadCarOptions = {}): Promise<CarReading> {
  const { signal } = options
  const limit = options.maxBlockBytes ?? MAX_BLOCK_BYTES
  throwIfAborted(signal, 'CAR import')
  const input = abortable(source, signal)
  let header: { roots: CID[], reader: BytesReader }
  try {
    header = await decoding(input, async () => await readCarHeader(asyncIterableReader(input.chunks)))
  } catch (err) {
    await input.close()
    throw err
  }
  const { reader } = header
  async function * entries (): AsyncGenerator<CarEntry, void, undefined> {
    try {
      while (await decoding(input, async () => (await reader.upTo(1)).length > 0)) {
        throwIfAborted(signal, 'CAR import')
        yield await decoding(input, async () => await readCarEntry(reader, limit))
      }
    } finally {
      await input.close()
    }
  }
  return { roots: header.roots, entries: entries(), close: async () => { await input.close() } }
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

async function readCarEntry (reader: BytesReader, limit: number): Promise<CarEntry> {
  // Sizes are checked before anything is buffered: the decoder would otherwise read a section
  // of whatever length the file claims into memory. Peeking at the section's start (a varint
  // and a CID, both small) is enough to skip it and to name the block.
  const head = await reader.upTo(VARINT_MAX_BYTES + MAX_CID_BYTES)
  const section = readVarint(head)
  if (section === undefined) throw new InvalidCarError('a block section has no length')
  if (section.value > limit + MAX_CID_BYTES) {
    const cid = peekCid(head.subarray(section.length))
    const size = cid === undefined ? section.value : section.value - cid.bytes.byteLength
    reader.seek(section.length + section.value)
    return { cid: cid?.toString(), refused: new CarBlockTooLargeError(cid?.toString(), size, limit) }
  }
  const { cid, blockLength } = await readBlockHead(reader)
  if (blockLength < 0) throw new InvalidCarError(`the section of block ${cid.toString()} is shorter than its CID`)
  if (blockLength > limit) {
    reader.seek(blockLength)
    return { cid: cid.toString(), refused: new CarBlockTooLargeError(cid.toString(), blockLength, limit) }
  }
  const bytes = await reader.exactly(blockLength, true)
  try {
    if (!verifyBlock(cid, bytes)) return { cid: cid.toString(), refused: new CarBlockMismatchError(cid.toString()) }
  } catch (err) {
    if ((err as Error).name === 'UnsupportedHashError') return { cid: cid.toString(), refused: err as UnsupportedHashError }
    throw err
  }
  return { cid, bytes }
}

/** An unsigned LEB128 varint at the start of `bytes` and its length, or undefined if there is none. */
function readVarint (bytes: Uint8Array): Uvarint | undefined {
  return readUvarint(bytes, 0, VARINT_MAX_BYTES) ?? undefined
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
 * stream, say), and so the source's own errors are not mistaken for malformed CAR data. Each
 * read listens for the abort only while it waits: racing every read against one long-lived
 * promise would leave a reaction on it per chunk, keeping every chunk of the file alive.
 */
function abortable (source: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): AbortableSource {
  const iterator = source[Symbol.asyncIterator]()
  let done = false
  let closed = false
  const read = async (): Promise<IteratorResult<Uint8Array>> => {
    if (signal === undefined) return await iterator.next()
    if (signal.aborted) throw new AbortError('CAR import')
    return await new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
      const onAbort = (): void => { reject(new AbortError('CAR import')) }
      signal.addEventListener('abort', onAbort, { once: true })
      iterator.next().then(resolve, reject).finally(() => { signal.removeEventListener('abort', onAbort) })
    })
  }
  const wrapper: AbortableSource = {
    failure: undefined,
    chunks: {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          try {
            const next = await read()
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
      if (closed) return
      closed = true
      // Release the source unless it already ended; an aborted read may still be pending inside
      // it, so this does not wait for the source to agree.
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
