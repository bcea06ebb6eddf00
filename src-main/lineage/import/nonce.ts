import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { ITEM_NONCE_HEX_DIGITS, JOB_NONCE_PREFIX_HEX_DIGITS } from './constants.js'

/**
 * The nonce prefix of a job: the first 128 bits of sha256("lineage-import-job", job), in hex.
 * Every nonce of the job starts with it, so the job's transactions are one range of the ledger's
 * (public_key, nonce) index: what the job committed is counted from there, exactly, after a crash too.
 */
export function jobNoncePrefix (job: string): string {
  return bytesToHex(sha256(utf8ToBytes(`lineage-import-job\n${job}`))).slice(0, JOB_NONCE_PREFIX_HEX_DIGITS)
}

/**
 * The nonce of an item of a job: the job's prefix, then the first 128 bits of
 * sha256("lineage-import", job, item), in hex. The same item of the same job always signs the
 * same request, so after a crash a second publish is a replay of the first (the same transaction
 * hash), never a duplicate write. Jobs recorded before prefixes existed have none ('').
 */
export function itemNonce (job: string, item: string, prefix = ''): string {
  return prefix + bytesToHex(sha256(utf8ToBytes(`lineage-import\n${job}\n${item}`))).slice(0, ITEM_NONCE_HEX_DIGITS)
}

/** The item id of the job's binding transaction (a collection not yet bound is bound first). */
export const BINDING_ITEM = '\u0000binding'
