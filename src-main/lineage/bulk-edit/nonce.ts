import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { BULK_EDIT_NONCE_HEX_DIGITS } from './constants.js'

/** The nonce prefix of a job: every nonce it signs starts with it (one range of the ledger's index). */
export function jobNoncePrefix (job: string): string {
  return bytesToHex(sha256(utf8ToBytes(`lineage-bulk-edit-job\n${job}`))).slice(0, BULK_EDIT_NONCE_HEX_DIGITS)
}

/** A token's nonce in a job: the same token of the same job always signs the same nonce (never twice). */
export function tokenNonce (job: string, tokenId: string, prefix: string): string {
  return prefix + bytesToHex(sha256(utf8ToBytes(`lineage-bulk-edit\n${job}\n${tokenId}`))).slice(0, BULK_EDIT_NONCE_HEX_DIGITS)
}
