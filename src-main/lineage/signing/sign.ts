import { encodeBase58 } from './encoding.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { SignerMismatchError } from './errors.js'
import { canonicalPublicKey, signingBytes } from './message.js'
import type { UnsignedTransactionRequest } from './request.js'

/** The two kinds of signing key a node holds. */
export type KeyType = 'ed25519' | 'secp256k1'

/**
 * A key that can sign. `sign` returns a 64-byte ed25519 signature of the bytes, or for
 * secp256k1 the 65-byte `personal_sign` signature (r ‖ s ‖ v, v 27/28) of them.
 */
export interface TransactionSigner {
  readonly type: KeyType
  /** 0x address (secp256k1) or base58 (ed25519). */
  readonly publicKey: string
  sign(message: Uint8Array): Uint8Array
  /** The same signature made off this thread (the thread pool), where the key type allows it. */
  signAsync?(message: Uint8Array): Promise<Uint8Array>
}

/**
 * Signs a request with one of the node's keys and returns the `signature` field: 0x + 130 hex
 * digits for secp256k1, base58 for ed25519.
 *
 * @throws InvalidTransactionError if the request is malformed
 * @throws SignerMismatchError if the key is not the request's public_key
 */
export function signTransaction (request: UnsignedTransactionRequest, signer: TransactionSigner): string {
  const message = signingBytes(request)
  if (canonicalPublicKey(signer.publicKey) !== canonicalPublicKey(request.public_key)) {
    throw new SignerMismatchError(signer.publicKey, request.public_key)
  }
  return encodeSignature(signer.type, signer.sign(message))
}

/** The text form of a signature: 0x-hex for secp256k1, base58 for ed25519. */
export function encodeSignature (type: KeyType, signature: Uint8Array): string {
  return type === 'secp256k1' ? `0x${bytesToHex(signature)}` : encodeBase58(signature)
}
