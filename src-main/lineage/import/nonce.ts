import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { ITEM_NONCE_HEX_DIGITS } from './constants.js'

/**
 * The nonce of an item of a job: the first 128 bits of sha256("lineage-import", job, item), in
 * hex. The same item of the same job always signs the same request, so after a crash a second
 * publish is a replay of the first (the same transaction hash), never a duplicate write.
 */
export function itemNonce (job: string, item: string): string {
  return bytesToHex(sha256(utf8ToBytes(`lineage-import\n${job}\n${item}`))).slice(0, ITEM_NONCE_HEX_DIGITS)
}

/** The item id of the job's binding transaction (a collection not yet bound is bound first). */
export const BINDING_ITEM = '\u0000binding'
