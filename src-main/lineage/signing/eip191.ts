import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { EIP191_PREFIX, EVM_SIGNATURE_BYTES } from './constants.js'
import { addressFromPublicKey } from './encoding.js'
import { InvalidSignatureError } from './errors.js'

/** keccak256("\x19Ethereum Signed Message:\n" + byte length in decimal + message): the digest `personal_sign` signs. */
export function personalMessageHash (message: Uint8Array): Uint8Array {
  return keccak_256(concatBytes(utf8ToBytes(`${EIP191_PREFIX}${message.length}`), message))
}

/**
 * Signs like a wallet's `personal_sign` (ethers `signMessage`): 65 bytes r ‖ s ‖ v, low s, v 27 or 28.
 * Only prefixed messages are ever signed, so an EVM key held by the node can never be made to sign
 * an Ethereum transaction or another raw digest.
 */
export function signPersonalMessage (message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const recovered = secp256k1.sign(personalMessageHash(message), privateKey, { prehash: false, format: 'recovered' })
  // noble puts the recovery bit first; Ethereum puts v (27 + bit) last.
  const out = new Uint8Array(EVM_SIGNATURE_BYTES)
  out.set(recovered.subarray(1), 0)
  out[64] = 27 + (recovered[0] ?? 0)
  return out
}

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
