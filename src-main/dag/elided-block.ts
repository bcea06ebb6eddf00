import { decodeOptions } from '@ipld/dag-cbor'
import { decodeFirst } from 'cborg'
import { encodeDagCborJson } from './cbor-encoding.js'
import { checkJsonContent } from './content.js'
import type { JsonValue } from './content.js'
import type { VersionTransaction } from './version-block.js'

/**
 * A version block repeats its transaction: the `transaction` map (hash, timestamp, contract,
 * method, and the signed data as `value`) and, when the contract wrote the document unchanged,
 * the data again as `content` (the same JSON in dag-cbor). The node keeps the transaction's row
 * anyway (it is the signed request, served to peers as signed), so a block can be stored without
 * those copies and rebuilt from the row, byte for byte. `elideTransaction` only elides what
 * `restoreTransaction` rebuilds into the very same bytes (it checks), so a block's CID proves it
 * as before.
 *
 * Layout relied on (dag-cbor sorts map keys by length, then bytes): `content` is the block map's
 * first key, so its value starts at byte 9 (map header, text header, 7 letters); `transaction`
 * is its last, so the block ends with the transaction map's own encoding.
 */

/** Bytes before a version block's content: map header (3 or 4 entries), then the key "content". */
const CONTENT_KEY = Buffer.from([0x67, ...Buffer.from('content')])
const CONTENT_AT = 1 + CONTENT_KEY.length
const MAP_3 = 0xa3
const MAP_4 = 0xa4
/** The key "hash" and a 64-character text header, as the transaction map holds its hash. */
const HASH_KEY = Buffer.from([0x64, ...Buffer.from('hash'), 0x78, 0x40])
const HASH_LENGTH = 64

/** What a version block copies of its transaction: the row's columns, `data` being `value`. */
export interface TransactionFields extends Omit<VersionTransaction, 'value'> {
  data: string
}

/** A block stored without its transaction's copies. */
export interface ElidedBlock {
  /** The block without the transaction map at its end (and without its content, when `content`). */
  bytes: Uint8Array
  /** Whether the content (the data as dag-cbor) was taken out too; it goes back at byte 9. */
  content: boolean
}

/**
 * The block without the copies of `tx`, if it is a version block of that transaction; undefined
 * when it is not (it is stored whole then).
 */
export function elideTransaction (block: Uint8Array, tx: TransactionFields): ElidedBlock | undefined {
  const bytes = asBuffer(block)
  let tail: Uint8Array
  try {
    tail = transactionMap(tx)
  } catch {
    return undefined
  }
  const end = bytes.length - tail.length
  if (end < CONTENT_AT || !bytes.subarray(end).equals(tail)) return undefined

  const content = contentOf(tx.data)
  const withContent = content !== undefined && isVersionMap(bytes) &&
    CONTENT_AT + content.length <= end && bytes.subarray(CONTENT_AT, CONTENT_AT + content.length).equals(content)
  // Stored this way only if it comes back as the same bytes: restoreTransaction puts back exactly
  // the pieces compared above (the same encodings of the same row), so no second encoding is made.
  return {
    bytes: Buffer.concat([bytes.subarray(0, CONTENT_AT), bytes.subarray(CONTENT_AT + (withContent ? content.length : 0), end)]),
    content: withContent,
  }
}

/** The whole block again, from what was stored and the row of the transaction it names. */
export function restoreTransaction (elided: ElidedBlock, tx: TransactionFields): Buffer {
  const bytes = asBuffer(elided.bytes)
  const content = elided.content ? contentOf(tx.data) : undefined
  if (elided.content && content === undefined) throw new Error(`the data of transaction ${tx.hash} is not JSON, but the block's content was taken from it`)
  return Buffer.concat([
    bytes.subarray(0, CONTENT_AT),
    ...(content === undefined ? [] : [content]),
    bytes.subarray(CONTENT_AT),
    transactionMap(tx),
  ])
}

/**
 * The content of a version block stored without its transaction's copies but with its own
 * content (the contract changed the data): the first value after the key "content", decoded
 * alone, without rebuilding the block from its transaction's row or decoding the rest. Undefined
 * when the bytes are not laid out so (the caller then reads the whole block).
 */
export function storedContent (elided: ElidedBlock): JsonValue | undefined {
  const bytes = asBuffer(elided.bytes)
  if (elided.content || !isVersionMap(bytes)) return undefined
  try {
    const [content] = decodeFirst(bytes.subarray(CONTENT_AT), decodeOptions)
    checkJsonContent(content, 'content')
    return content
  } catch {
    return undefined
  }
}

/**
 * The transaction hash in what may be a whole version block, so it can be matched with its
 * transaction's row (migration 16).
 */
export function versionBlockHash (block: Uint8Array): string | undefined {
  const bytes = asBuffer(block)
  const found = bytes.lastIndexOf(HASH_KEY)
  if (found < 0 || found + HASH_KEY.length + HASH_LENGTH > bytes.length) return undefined
  return bytes.toString('latin1', found + HASH_KEY.length, found + HASH_KEY.length + HASH_LENGTH)
}

/** The transaction map exactly as encodeVersionBlock writes it. */
function transactionMap (tx: TransactionFields): Uint8Array {
  return encodeDagCborJson({ hash: tx.hash, timestamp: tx.timestamp, meta_contract_id: tx.meta_contract_id, method: tx.method, value: tx.data })
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

function asBuffer (bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
