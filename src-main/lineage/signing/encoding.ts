import { base58btc } from 'multiformats/bases/base58'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/** Plain base58 (bitcoin alphabet) without a multibase prefix, as the original Lineage encodes keys and signatures. */
export function encodeBase58 (bytes: Uint8Array): string {
  return base58btc.baseEncode(bytes)
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
