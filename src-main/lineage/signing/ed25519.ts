import { ed25519 } from '@noble/curves/ed25519.js'
import { ED25519_SIGNATURE_BYTES, ED25519_SIGNATURE_MAX_BASE58 } from './constants.js'
import { decodeBase58, encodeBase58 } from './encoding.js'
import { InvalidSignatureError } from './errors.js'

/** The base58 public key of a 32-byte ed25519 seed. */
export function ed25519PublicKey (seed: Uint8Array): string {
  return encodeBase58(ed25519.getPublicKey(seed))
}

/** A 64-byte RFC 8032 ed25519 signature of `message`. */
export function signEd25519 (message: Uint8Array, seed: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed)
}

/**
 * Checks a base58 ed25519 signature. Verification is RFC 8032 strict (not ZIP-215): non-canonical
 * encodings of s or of the key are refused, so one signed text has exactly one valid signature.
 *
 * @throws InvalidSignatureError saying which check failed
 */
export function verifyEd25519 (message: Uint8Array, signature: string, publicKey: Uint8Array): void {
  const bytes = signature.length > ED25519_SIGNATURE_MAX_BASE58 ? undefined : decodeBase58(signature)
  if (bytes === undefined) {
    throw new InvalidSignatureError(`an ed25519 signature must be base58 (bitcoin alphabet, no prefix) of ${ED25519_SIGNATURE_BYTES} bytes; this one is not base58 or is too long.`)
  }
  if (bytes.length !== ED25519_SIGNATURE_BYTES) {
    throw new InvalidSignatureError(`an ed25519 signature is ${ED25519_SIGNATURE_BYTES} bytes; this one decodes to ${bytes.length}.`)
  }
  if (!ed25519.utils.isValidPublicKey(publicKey, false)) {
    throw new InvalidSignatureError('the public_key is not a point on the ed25519 curve.')
  }
  let valid: boolean
  try {
    valid = ed25519.verify(bytes, message, publicKey, { zip215: false })
  } catch {
    valid = false
  }
  if (!valid) throw new InvalidSignatureError('it does not match the signed text of this request for this public_key.')
}
