// personal_sign with a secp256k1 key, importing packages only: the signing worker threads
// (keys/sign-worker.ts) load this file as it is, without the build or a bundler.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js'

/** EIP-191 version 0x45 prefix, as `personal_sign`, ethers `signMessage` and viem `signMessage` apply it. */
export const EIP191_PREFIX = '\x19Ethereum Signed Message:\n'

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
  const out = new Uint8Array(recovered.length)
  out.set(recovered.subarray(1), 0)
  out[64] = 27 + (recovered[0] ?? 0)
  return out
}

/**
 * Widens the window of the base point's precomputed table (noble's default is 6): fewer point
 * additions per signature (still constant time, still blinded) for a larger table. For a thread
 * that does nothing but sign: it changes the secp256k1 module of the whole thread.
 */
export function widenBaseWindow (window: number): void {
  secp256k1.Point.BASE.precompute(window, false)
}
