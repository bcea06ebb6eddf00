import { encodeDagCborJson } from './cbor-encoding.js'

/**
 * A version block repeats its transaction's signed data: as `transaction.value` (the text), and,
 * when the contract wrote the document unchanged, as `content` (the same JSON in dag-cbor). The
 * node keeps that text in the transaction's row anyway (it is the signed request, served to
 * peers as signed), so a block can be stored without both copies and rebuilt from the row,
 * byte for byte. `elideTransactionData` only elides what `restoreTransactionData` rebuilds into
 * the very same bytes (it checks), so a block's CID proves it as before.
 *
 * Layout relied on (dag-cbor sorts map keys by length, then bytes): the block map's first key is
 * `content`, so its value starts at byte 9 (map header, text header, 7 letters); the
 * transaction map's first two keys are `hash` (64 hex characters) and `value`, so the data's
 * text follows the hash and the key `value` directly.
 */

/** Bytes before a version block's content: map header (3 or 4 entries), then the key "content". */
const CONTENT_KEY = Buffer.from([0x67, ...Buffer.from('content')])
const CONTENT_AT = 1 + CONTENT_KEY.length
/** A transaction hash as the block writes it: a 64-character text string. */
const HASH_HEADER = Buffer.from([0x78, 0x40])
const HASH_LENGTH = 64
const VALUE_KEY = Buffer.from([0x65, ...Buffer.from('value')])
const MAP_3 = 0xa3
const MAP_4 = 0xa4

/** A block stored without its transaction's data, and where to put the data back. */
export interface ElidedBlock {
  /** The block without the data's text (and without its content, when `content` is true). */
  bytes: Uint8Array
  /** Offset in `bytes` of the transaction hash; the data's text goes after it and the key `value`. */
  at: number
  /** Whether the content (the data as dag-cbor) was taken out too; it goes back at byte 9. */
  content: boolean
}

/**
 * The block without the copies of `data`, if it is a version block of the transaction `hash`
 * whose `transaction.value` is exactly `data`; undefined when it is not (stored whole then).
 */
export function elideTransactionData (block: Uint8Array, hash: string, data: string): ElidedBlock | undefined {
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength)
  const text = Buffer.from(data, 'utf8')
  if (hash.length !== HASH_LENGTH) return undefined
  const needle = Buffer.concat([HASH_HEADER, Buffer.from(hash, 'latin1'), VALUE_KEY, textHeader(text.length)])
  const found = bytes.lastIndexOf(needle)
  if (found < 0) return undefined
  const valueAt = found + needle.length
  if (!bytes.subarray(valueAt, valueAt + text.length).equals(text)) return undefined
  const hashAt = found + HASH_HEADER.length

  const content = contentOf(data)
  const withContent = content !== undefined && isVersionMap(bytes) &&
    CONTENT_AT + content.length <= hashAt && bytes.subarray(CONTENT_AT, CONTENT_AT + content.length).equals(content)
  const cut = withContent ? content.length : 0
  const elided: ElidedBlock = {
    bytes: Buffer.concat([bytes.subarray(0, CONTENT_AT), bytes.subarray(CONTENT_AT + cut, valueAt), bytes.subarray(valueAt + text.length)]),
    at: hashAt - cut,
    content: withContent,
  }
  // Stored this way only if it comes back as the same bytes.
  const back = restoreTransactionData(elided, () => data, withContent ? content : undefined)
  return Buffer.compare(back, bytes) === 0 ? elided : undefined
}

/** The transaction hash an elided block names: the row whose data `restoreTransactionData` needs. */
export function elidedHash (elided: Pick<ElidedBlock, 'bytes' | 'at'>): string {
  return Buffer.from(elided.bytes.buffer, elided.bytes.byteOffset, elided.bytes.byteLength).toString('latin1', elided.at, elided.at + HASH_LENGTH)
}

/**
 * The whole block again. `dataOf` gives the data of the transaction the block names. Throws an
 * Error when the data does not fit the place kept for it (the row is not the block's).
 */
export function restoreTransactionData (elided: ElidedBlock, dataOf: (hash: string) => string, encodedContent?: Uint8Array): Buffer {
  const bytes = Buffer.from(elided.bytes.buffer, elided.bytes.byteOffset, elided.bytes.byteLength)
  const hash = elidedHash(elided)
  const text = Buffer.from(dataOf(hash), 'utf8')
  const headerAt = elided.at + HASH_LENGTH + VALUE_KEY.length
  const { length, size } = readTextHeader(bytes, headerAt)
  if (length !== text.length) throw new Error(`the data of transaction ${hash} is ${text.length} bytes, the block keeps room for ${length}`)
  const valueAt = headerAt + size
  const content = elided.content ? (encodedContent ?? contentOf(text.toString('utf8'))) : undefined
  if (elided.content && content === undefined) throw new Error(`the data of transaction ${hash} is not JSON, but the block's content was taken from it`)
  return Buffer.concat([
    bytes.subarray(0, CONTENT_AT),
    ...(content === undefined ? [] : [content]),
    bytes.subarray(CONTENT_AT, valueAt),
    text,
    bytes.subarray(valueAt),
  ])
}

/**
 * Finds the transaction hash in what may be a version block, so a block stored whole can be
 * matched with its transaction's row (migration 16).
 */
export function versionBlockHash (block: Uint8Array): string | undefined {
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength)
  const key = Buffer.from([0x64, ...Buffer.from('hash'), ...HASH_HEADER])
  const found = bytes.lastIndexOf(key)
  if (found < 0 || found + key.length + HASH_LENGTH > bytes.length) return undefined
  return bytes.toString('latin1', found + key.length, found + key.length + HASH_LENGTH)
}

function isVersionMap (bytes: Buffer): boolean {
  const head = bytes[0]
  return (head === MAP_3 || head === MAP_4) && bytes.subarray(1, CONTENT_AT).equals(CONTENT_KEY)
}

/** The data as a version's content would hold it, or undefined when it is not JSON. */
function contentOf (data: string): Uint8Array | undefined {
  try {
    return encodeDagCborJson(JSON.parse(data))
  } catch {
    return undefined
  }
}

/** The CBOR header of a text string of `length` UTF-8 bytes (shortest form, as dag-cbor writes). */
function textHeader (length: number): Buffer {
  if (length < 24) return Buffer.from([0x60 + length])
  if (length < 0x100) return Buffer.from([0x78, length])
  if (length < 0x10000) return Buffer.from([0x79, length >> 8, length & 0xff])
  const header = Buffer.alloc(5)
  header[0] = 0x7a
  header.writeUInt32BE(length, 1)
  return header
}

function readTextHeader (bytes: Buffer, at: number): { length: number, size: number } {
  const first = bytes[at]
  if (first === undefined || first < 0x60 || first > 0x7a) throw new Error(`no text header at byte ${at} of an elided block`)
  if (first < 0x78) return { length: first - 0x60, size: 1 }
  if (first === 0x78) return { length: bytes.readUInt8(at + 1), size: 2 }
  if (first === 0x79) return { length: bytes.readUInt16BE(at + 1), size: 3 }
  return { length: bytes.readUInt32BE(at + 1), size: 5 }
}
