// personal_sign with a secp256k1 key, importing packages only: the signing worker threads
// (keys/sign-worker.ts) load this file as it is, without the build or a bundler.
import { createRequire } from 'node:module'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js'

interface Libsecp256k1 {
  signRecoverable(hash: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array, recoveryId: 0 | 1 | 2 | 3 }
}

/**
 * Signatures are made by libsecp256k1 (Bitcoin Core's library, built to Wasm by tiny-secp256k1):
 * the same RFC 6979 signatures as noble's (a property test holds them equal), at about a quarter
 * of the CPU, which is most of what an EVM key's bulk import costs. Loaded on the first signature
 * (its 1.2 MB module is no part of a process that never signs); verifying stays with noble.
 */
let libsecp256k1: Libsecp256k1 | undefined
function signer (): Libsecp256k1 {
  libsecp256k1 ??= createRequire(import.meta.url)('tiny-secp256k1') as Libsecp256k1
  return libsecp256k1
}

/** EIP-191 version 0x45 prefix, as `personal_sign`, ethers `signMessage` and viem `signMessage` apply it. */
export const EIP191_PREFIX = '\x19Ethereum Signed Message:\n'

/** keccak256("\x19Ethereum Signed Message:\n" + byte length in decimal + message): the digest `personal_sign` signs. */
export function personalMessageHash (message: Uint8Array): Uint8Array {
  return keccak_256(concatBytes(utf8ToBytes(`${EIP191_PREFIX}${message.length}`), message))
}

/**
 * Signs like a wallet's `personal_sign` (ethers `signMessage`): 65 bytes r ‖ s ‖ v, low s, v 27 or 28.
 * Only prefixed messages are signed here, so a Lineage request can never be made to sign an
 * Ethereum transaction or another raw digest: the chain writer's transactions go through
 * Signer.signEvmTransaction, which takes only a typed transaction envelope.
 */
export function signPersonalMessage (message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const { signature, recoveryId } = signer().signRecoverable(personalMessageHash(message), privateKey)
  // libsecp256k1 always gives the low s; Ethereum puts v (27 + recovery bit) last.
  const out = new Uint8Array(65)
  out.set(signature, 0)
  out[64] = 27 + recoveryId
  return out
}
