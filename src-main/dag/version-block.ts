import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { encodeDagCborJson } from './cbor-encoding.js'
import { checkJsonContent, isPlainObject } from './content.js'
import type { JsonValue } from './content.js'
import { InvalidVersionBlockError } from './errors.js'
import { sha256Digest } from './hashing.js'

/** The transaction that produced a version, as recorded in the version's block. */
export interface VersionTransaction {
  hash: string
  /** Milliseconds since the Unix epoch. */
  timestamp: number
  meta_contract_id: string
  method: string
  value: string
}

/** One version of a slot's content, linking the version before it. */
export interface VersionBlock {
  /** Milliseconds since the Unix epoch. */
  timestamp: number
  content: JsonValue
  /** The previous version's block; absent for the first version. */
  previous?: CID
  transaction: VersionTransaction
}

export interface EncodedBlock {
  cid: CID
  bytes: Uint8Array
}

const BLOCK_FIELDS = new Set(['timestamp', 'content', 'previous', 'transaction'])
const TRANSACTION_FIELDS = ['hash', 'timestamp', 'meta_contract_id', 'method', 'value'] as const

/**
 * Encodes a version as dag-cbor and addresses it by CIDv1 + sha2-256 (`bafyrei…`), exactly as
 * Kubo's `ipfs dag put` would. Synchronous, so it can run inside a SQLite transaction.
 * Throws InvalidVersionBlockError naming the field when the version is malformed.
 */
export function encodeVersionBlock (version: VersionBlock): EncodedBlock {
  checkVersion(version)
  // Built field by field so nothing but the protocol's fields is written, and an absent
  // `previous` is left out rather than written as undefined (which dag-cbor refuses).
  const { hash, timestamp, meta_contract_id, method, value } = version.transaction
  const block: Record<string, unknown> = {
    timestamp: version.timestamp,
    content: version.content,
    transaction: { hash, timestamp, meta_contract_id, method, value },
  }
  if (version.previous !== undefined) block.previous = version.previous
  // Byte for byte @ipld/dag-cbor's encoding (cbor-encoding.ts), written without its tokens.
  const bytes = encodeDagCborJson(block)
  return { cid: CID.createV1(dagCbor.code, sha256Digest(bytes)), bytes }
}

/** Decodes and checks a version block. Throws InvalidVersionBlockError naming the field. */
export function decodeVersionBlock (bytes: Uint8Array): VersionBlock {
  let decoded: unknown
  try {
    decoded = dagCbor.decode(bytes)
  } catch (err) {
    throw new InvalidVersionBlockError('block', `is not dag-cbor (${err instanceof Error ? err.message : String(err)})`)
  }
  checkVersion(decoded)
  return decoded
}

function checkVersion (value: unknown): asserts value is VersionBlock {
  if (!isPlainObject(value)) throw new InvalidVersionBlockError('block', 'is not a map')
  for (const key of Object.keys(value)) {
    if (!BLOCK_FIELDS.has(key)) throw new InvalidVersionBlockError(key, 'is not a version block field')
  }
  checkTimestamp(value.timestamp, 'timestamp')
  if (!('content' in value)) throw new InvalidVersionBlockError('content', 'is missing')
  checkJsonContent(value.content, 'content')
  if ('previous' in value && value.previous !== undefined) {
    const previous = CID.asCID(value.previous)
    if (previous === null) throw new InvalidVersionBlockError('previous', 'is not a link (CID)')
    if (previous.code !== dagCbor.code) throw new InvalidVersionBlockError('previous', `links a block of codec 0x${previous.code.toString(16)}, not a dag-cbor version block`)
  }
  const transaction = value.transaction
  if (!isPlainObject(transaction)) throw new InvalidVersionBlockError('transaction', 'is missing or not a map')
  for (const key of Object.keys(transaction)) {
    if (!(TRANSACTION_FIELDS as readonly string[]).includes(key)) throw new InvalidVersionBlockError(`transaction.${key}`, 'is not a transaction field')
  }
  for (const key of TRANSACTION_FIELDS) {
    if (key === 'timestamp') checkTimestamp(transaction.timestamp, 'transaction.timestamp')
    else if (typeof transaction[key] !== 'string') throw new InvalidVersionBlockError(`transaction.${key}`, `must be a string, got ${kind(transaction[key])}`)
  }
}

function checkTimestamp (value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidVersionBlockError(field, `must be milliseconds since 1970 (a non-negative integer), got ${kind(value)}`)
  }
}

function kind (value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`
}

/**
 * Whether two contents are one document as a version stores it: their dag-cbor bytes are equal
 * (so key order, and number spellings such as 1.0 and 1, do not count as changes).
 */
export function sameContent (a: JsonValue, b: JsonValue): boolean {
  const x = encodeDagCborJson(a)
  const y = encodeDagCborJson(b)
  return x.length === y.length && Buffer.compare(x, y) === 0
}
