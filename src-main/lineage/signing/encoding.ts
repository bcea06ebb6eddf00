import { base58btc } from 'multiformats/bases/base58'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
/** Base58 digits carried per limb: 58^5 < 2^30, so a limb times 2^16 plus a carry stays exact in a double. */
const DIGITS_PER_LIMB = 5
const LIMB = 58 ** DIGITS_PER_LIMB
const BASE58_CODES = Array.from(BASE58_ALPHABET, c => c.charCodeAt(0))

/**
 * Plain base58 (bitcoin alphabet) without a multibase prefix, as the original Lineage encodes keys
 * and signatures: the same text as multiformats' base58btc, computed in limbs of five digits fed
 * two bytes at a time (a tenth of the divisions; one signature and one key are encoded per
 * transaction).
 */
export function encodeBase58 (bytes: Uint8Array): string {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  // The number after the leading zero bytes, in little-endian limbs of base 58^5.
  const limbs: number[] = []
  let i = zeros
  if ((bytes.length - zeros) % 2 === 1) limbs.push(bytes[i++] ?? 0)
  for (; i < bytes.length; i += 2) {
    let carry = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)
    for (let j = 0; j < limbs.length; j++) {
      carry += (limbs[j] ?? 0) * 0x10000
      const quotient = Math.floor(carry / LIMB)
      limbs[j] = carry - quotient * LIMB
      carry = quotient
    }
    while (carry > 0) {
      const quotient = Math.floor(carry / LIMB)
      limbs.push(carry - quotient * LIMB)
      carry = quotient
    }
  }
  // Digits least significant first, then reversed; the top limb's leading zero digits are dropped
  // (they would read as zero bytes), and each leading zero byte is a "1".
  const digits: number[] = []
  for (const [j, value] of limbs.entries()) {
    let limb = value
    for (let k = 0; k < DIGITS_PER_LIMB && (limb > 0 || j < limbs.length - 1); k++) {
      const quotient = Math.floor(limb / 58)
      digits.push(BASE58_CODES[limb - quotient * 58] ?? 0)
      limb = quotient
    }
  }
  for (let k = 0; k < zeros; k++) digits.push(BASE58_CODES[0] ?? 0)
  return String.fromCharCode(...digits.reverse())
}

/** Decodes plain base58; undefined when a character is outside the alphabet. */
export function decodeBase58 (text: string): Uint8Array | undefined {
  try {
    return base58btc.baseDecode(text)
  } catch {
    return undefined
  }
}

/** The 0x address of an uncompressed secp256k1 public key (65 bytes, 0x04 ‖ x ‖ y): the last 20 bytes of keccak256(x ‖ y). */
export function addressFromPublicKey (uncompressed: Uint8Array): string {
  return `0x${bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(12))}`
}

/** EIP-55 mixed-case form of an address: a hex letter is upper case where keccak256(lower-case hex) has a nibble ≥ 8. */
export function toChecksumAddress (address: string): string {
  const hex = address.slice(2).toLowerCase()
  const hash = bytesToHex(keccak_256(utf8ToBytes(hex)))
  let out = '0x'
  for (let i = 0; i < hex.length; i++) {
    out += Number.parseInt(hash[i] ?? '0', 16) >= 8 ? hex[i]?.toUpperCase() : hex[i]
  }
  return out
}

/**
 * All-lower and all-upper addresses carry no checksum (EIP-55 allows them); a mixed-case one is
 * a checksum and must match, which catches a mistyped address before anything is signed for it.
 */
export function hasValidChecksum (address: string): boolean {
  const hex = address.slice(2)
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true
  return toChecksumAddress(address) === address
}
