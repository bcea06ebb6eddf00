import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { EVM_SIGNATURE_BYTES } from './constants.js'
import { addressFromPublicKey } from './encoding.js'
import { InvalidSignatureError } from './errors.js'
import { personalMessageHash } from './personal-sign.js'

export { personalMessageHash, signPersonalMessage } from './personal-sign.js'

/** The lower-case 0x address of a secp256k1 private key. */
export function addressFromPrivateKey (privateKey: Uint8Array): string {
  return addressFromPublicKey(secp256k1.getPublicKey(privateKey, false))
}

/**
 * Recovers the lower-case address that signed `message` with `personal_sign`.
 *
 * @throws InvalidSignatureError saying which check failed
 */
export function recoverPersonalSigner (message: Uint8Array, signature: string): string {
  if (!/^0x[0-9a-fA-F]*$/.test(signature)) {
    throw new InvalidSignatureError('an EVM signature must be 0x followed by hex digits (r ‖ s ‖ v); this one contains other characters.')
  }
  if (signature.length !== 2 + EVM_SIGNATURE_BYTES * 2) {
    throw new InvalidSignatureError(`an EVM signature is 0x followed by ${EVM_SIGNATURE_BYTES * 2} hex digits (65 bytes r ‖ s ‖ v); this one has ${signature.length - 2} digits.`)
  }
  const bytes = hexToBytes(signature.slice(2))
  const v = bytes[64] ?? 0
  // 27/28 is what wallets produce; 0/1 is the raw recovery bit some libraries emit.
  const recovery = v === 27 || v === 28 ? v - 27 : v === 0 || v === 1 ? v : undefined
  if (recovery === undefined) throw new InvalidSignatureError(`its recovery byte v is ${v}; it must be 27, 28, 0 or 1.`)
  const r = BigInt(`0x${bytesToHex(bytes.subarray(0, 32))}`)
  const s = BigInt(`0x${bytesToHex(bytes.subarray(32, 64))}`)
  let parsed
  try {
    parsed = new secp256k1.Signature(r, s, recovery)
  } catch {
    throw new InvalidSignatureError('its r or s is zero or not below the secp256k1 group order.')
  }
  if (parsed.hasHighS()) {
    throw new InvalidSignatureError('its s is in the upper half of the group order; such signatures are malleable and refused (EIP-2).')
  }
  try {
    return addressFromPublicKey(parsed.recoverPublicKey(personalMessageHash(message)).toBytes(false))
  } catch {
    throw new InvalidSignatureError('no public key can be recovered from it.')
  }
}
