import type { Database } from 'better-sqlite3'
import { ledgerReads } from '../lineage/tokens/index.js'
import type { LedgerReads } from '../lineage/tokens/index.js'
import { UNSIGNED_FIELDS } from '../lineage/signing/index.js'
import type { TransactionRequest } from '../lineage/signing/index.js'

/** A transaction's place in canonical order: its signed timestamp, then its hash. */
export type TxKey = [timestamp: number, hash: string]

/** A half-open range [lo, hi) of canonical keys; null is an open end. */
export interface KeyRange { lo: TxKey | null, hi: TxKey | null }

/** What both sides compare for a range: how many transactions it holds and a sum of their hashes. */
export interface RangeSummary extends KeyRange { count: number, fp: string }

const MASK = (1n << 64n) - 1n

/** A transaction hash's contribution to a fingerprint: its first 64 bits. */
function hashBits (hash: string): bigint {
  return BigInt(`0x${hash.slice(0, 16)}`)
}

/** Order of two keys: negative, zero or positive. */
export function compareKeys (a: TxKey, b: TxKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0
}

/** The fingerprint of a list of keys: count and the sum of their hash bits mod 2^64, as hex. */
export function summarize (range: KeyRange, keys: readonly TxKey[]): RangeSummary {
  let sum = 0n
  for (const [, hash] of keys) sum = (sum + hashBits(hash)) & MASK
  return { ...range, count: keys.length, fp: sum.toString(16) }
}

/**
 * A collection's transactions as the sync protocol sees them: a set ordered by canonical key,
 * read through the (token_key, timestamp, hash) index. Every status counts: all nodes must hold
 * the same transactions, whatever their contracts decided.
 */
export class TransactionSet {
  private readonly reads: LedgerReads

  constructor (db: Database) {
    this.reads = ledgerReads(db)
  }

  /** Every key of the collection in the range, in canonical order. */
  keys (tokenKey: string, range: KeyRange): TxKey[] {
    return this.reads.canonicalKeys.all({
      token_key: tokenKey,
      lo_t: range.lo?.[0] ?? null,
      lo_h: range.lo?.[1] ?? null,
      hi_t: range.hi?.[0] ?? null,
      hi_h: range.hi?.[1] ?? null,
    })
  }

  size (tokenKey: string): number {
    return this.reads.transactionsOfCollection.get(tokenKey) ?? 0
  }

  tokenKeyOf (hash: string): string | undefined {
    return this.reads.collectionOfTransaction.get(hash)
  }

  has (hash: string): boolean {
    return this.reads.transactionByHash.get(hash) !== undefined
  }

  /** The signed request of a stored transaction, exactly the fields its signer signed. */
  request (hash: string): TransactionRequest | undefined {
    const row = this.reads.transactionByHash.get(hash) as Record<string, unknown> | undefined
    if (row === undefined) return undefined
    const request: Record<string, unknown> = {}
    for (const field of UNSIGNED_FIELDS) request[field] = row[field]
    request.signature = row.signature
    return request as unknown as TransactionRequest
  }
}

/**
 * Splits keys (sorted) of a range into at most `parts` consecutive ranges of about equal size,
 * covering the whole range, each with its summary.
 */
export function splitRange (range: KeyRange, keys: readonly TxKey[], parts: number): RangeSummary[] {
  const out: RangeSummary[] = []
  const size = Math.ceil(keys.length / parts)
  let lo = range.lo
  for (let start = 0; start < keys.length; start += size) {
    const end = Math.min(start + size, keys.length)
    const hi = end < keys.length ? (keys[end] ?? null) : range.hi
    out.push(summarize({ lo, hi }, keys.slice(start, end)))
    lo = hi
  }
  return out
}
