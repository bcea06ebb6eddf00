import * as dagCbor from '@ipld/dag-cbor'
import { SYNC_FETCH_PAGE, SYNC_MAX_KEYS_PER_ANSWER, SYNC_MAX_MESSAGE_BYTES, SYNC_MAX_RANGES_PER_REQUEST } from './constants.js'
import type { KeyRange, RangeSummary, TxKey } from './tx-set.js'
import { readUvarint } from '../util/index.js'
import type { VarintBytes } from '../util/index.js'

/** Client → server. */
export type SyncRequest =
  | { t: 'ranges', token_key: string, ranges: RangeSummary[] }
  | { t: 'get', hashes: string[] }

/** The server's view of one range whose summary differed from the client's. */
export type RangeAnswer = (KeyRange & { keys: TxKey[] }) | (KeyRange & { split: RangeSummary[] })

/** Server → client. */
export type SyncAnswer =
  | { t: 'ranges', answers: RangeAnswer[] }
  | { t: 'transactions', transactions: unknown[] }
  | { t: 'error', message: string }

export function encodeMessage (message: SyncRequest | SyncAnswer): Uint8Array {
  return dagCbor.encode(message)
}

/**
 * Whether a read failed on the peer's length prefix: a size over the limit, or a prefix too long
 * to be any allowed size (the names @libp2p/utils gives these). Only a misbehaving peer sends one.
 */
export function isOversized (err: unknown): boolean {
  const name = (err as { name?: unknown })?.name
  return name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError' || name === 'InvalidMessageLengthError' || name === 'LengthPrefixTooLongError'
}

/** Bytes of the varint that prefixes the largest allowed message. */
const MAX_PREFIX_BYTES = Math.ceil(Math.log2(SYNC_MAX_MESSAGE_BYTES + 1) / 7)

/** A length prefix longer than any allowed size needs; never leaves this module's callers. */
class LengthPrefixTooLongError extends Error {
  override readonly name = 'LengthPrefixTooLongError'
}

/**
 * Decodes a message's varint length prefix for lpStream. lpStream reads a prefix a byte at a time
 * until it decodes (a RangeError means "read one more"), so bytes that never end a varint would be
 * read until the timeout; this refuses the prefix as soon as it is longer than any allowed size needs.
 */
export function decodeLength (data: VarintBytes): number {
  const head = readUvarint(data, 0, MAX_PREFIX_BYTES)
  if (head === null) throw new LengthPrefixTooLongError(`a length prefix of more than ${MAX_PREFIX_BYTES} bytes`)
  if (head === undefined) throw new RangeError('the length prefix is not complete yet')
  return head.value
}

/** Why a message is malformed, thrown as a plain string for the caller to wrap with the peer's id. */
class Malformed extends Error {}

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const HASH = /^[0-9a-f]{16,128}$/

function key (v: unknown, what: string): TxKey | null {
  if (v === null) return null
  if (!Array.isArray(v) || v.length !== 2 || !Number.isSafeInteger(v[0]) || typeof v[1] !== 'string' || !HASH.test(v[1])) throw new Malformed(`${what} is not a [timestamp, hash] key`)
  return [v[0] as number, v[1]]
}

function range (v: unknown, what: string): KeyRange {
  if (!isObject(v)) throw new Malformed(`${what} is not a range`)
  return { lo: key(v.lo, `${what}.lo`), hi: key(v.hi, `${what}.hi`) }
}

function summary (v: unknown, what: string): RangeSummary {
  const r = range(v, what)
  const s = v as Record<string, unknown>
  if (!Number.isSafeInteger(s.count) || (s.count as number) < 0) throw new Malformed(`${what}.count is not a count`)
  if (typeof s.fp !== 'string' || !/^[0-9a-f]{1,16}$/.test(s.fp)) throw new Malformed(`${what}.fp is not a fingerprint`)
  return { ...r, count: s.count as number, fp: s.fp }
}

function list (v: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new Malformed(`${what} is not a list`)
  if (v.length > max) throw new Malformed(`${what} has ${v.length} entries; the limit is ${max}`)
  return v
}

function decode (bytes: Uint8Array): Record<string, unknown> {
  let value: unknown
  try {
    value = dagCbor.decode(bytes)
  } catch (err) {
    throw new Malformed(`not dag-cbor (${(err as Error).message})`)
  }
  if (!isObject(value) || typeof value.t !== 'string') throw new Malformed('not a sync message')
  return value
}

/** Decodes and checks a request; throws an Error saying what is wrong. */
export function decodeRequest (bytes: Uint8Array): SyncRequest {
  try {
    const m = decode(bytes)
    if (m.t === 'ranges') {
      if (typeof m.token_key !== 'string' || m.token_key.length === 0 || m.token_key.length > 256) throw new Malformed('token_key is not a collection key')
      return { t: 'ranges', token_key: m.token_key, ranges: list(m.ranges, 'ranges', SYNC_MAX_RANGES_PER_REQUEST).map((r, i) => summary(r, `ranges[${i}]`)) }
    }
    if (m.t === 'get') {
      const hashes = list(m.hashes, 'hashes', SYNC_FETCH_PAGE).map((h, i) => {
        if (typeof h !== 'string' || !HASH.test(h)) throw new Malformed(`hashes[${i}] is not a transaction hash`)
        return h
      })
      return { t: 'get', hashes }
    }
    throw new Malformed(`unknown request "${m.t}"`)
  } catch (err) {
    if (err instanceof Malformed) throw new Error(err.message, { cause: err })
    throw err
  }
}

/** Decodes and checks an answer; throws an Error saying what is wrong. */
export function decodeAnswer (bytes: Uint8Array): SyncAnswer {
  try {
    const m = decode(bytes)
    if (m.t === 'ranges') {
      let keys = 0
      const answers = list(m.answers, 'answers', SYNC_MAX_RANGES_PER_REQUEST).map((a, i): RangeAnswer => {
        const r = range(a, `answers[${i}]`)
        const fields = a as Record<string, unknown>
        if (fields.keys !== undefined) {
          const k = list(fields.keys, `answers[${i}].keys`, SYNC_MAX_KEYS_PER_ANSWER).map((x, j) => key(x, `answers[${i}].keys[${j}]`))
          keys += k.length
          if (keys > SYNC_MAX_KEYS_PER_ANSWER) throw new Malformed(`more than ${SYNC_MAX_KEYS_PER_ANSWER} keys in one answer`)
          if (k.some(x => x === null)) throw new Malformed(`answers[${i}].keys holds a null key`)
          return { ...r, keys: k as TxKey[] }
        }
        return { ...r, split: list(fields.split, `answers[${i}].split`, SYNC_MAX_RANGES_PER_REQUEST).map((s, j) => summary(s, `answers[${i}].split[${j}]`)) }
      })
      return { t: 'ranges', answers }
    }
    if (m.t === 'transactions') return { t: 'transactions', transactions: list(m.transactions, 'transactions', SYNC_FETCH_PAGE) }
    if (m.t === 'error') return { t: 'error', message: typeof m.message === 'string' ? m.message.slice(0, 500) : 'unknown error' }
    throw new Malformed(`unknown answer "${m.t}"`)
  } catch (err) {
    if (err instanceof Malformed) throw new Error(err.message, { cause: err })
    throw err
  }
}
