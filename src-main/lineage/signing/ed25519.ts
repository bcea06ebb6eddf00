import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { BoundedMap } from '../../util/index.js'
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, ED25519_SIGNATURE_MAX_BASE58 } from './constants.js'
import { decodeBase58, encodeBase58 } from './encoding.js'
import { InvalidSignatureError } from './errors.js'

/** DER prefixes that turn a raw 32-byte ed25519 key into SPKI (public) or PKCS#8 (seed) for node:crypto. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
/**
 * Keys already seen, by their base58 text: decoded (base58 is quadratic), and once checked (on
 * the curve, canonical) turned into KeyObjects. A node sees few distinct writers, many times each.
 */
const MAX_CACHED_KEYS = 1024
const decodedKeys = new BoundedMap<string, Uint8Array>(MAX_CACHED_KEYS)
const publicKeys = new BoundedMap<string, KeyObject>(MAX_CACHED_KEYS)

/** The 32 bytes of a base58 ed25519 public key; undefined unless it is the canonical base58 of 32 bytes. */
export function ed25519PublicKeyBytes (base58: string): Uint8Array | undefined {
  let bytes = decodedKeys.get(base58)
  if (bytes === undefined) {
    const decoded = decodeBase58(base58)
    if (decoded === undefined || decoded.length !== ED25519_PUBLIC_KEY_BYTES || encodeBase58(decoded) !== base58) return undefined
    bytes = decoded
    decodedKeys.set(base58, bytes)
  }
  return bytes
}

function nativePublicKey (base58: string): KeyObject | undefined {
  let key = publicKeys.get(base58)
  if (key === undefined) {
    const bytes = ed25519PublicKeyBytes(base58)
    // OpenSSL does not refuse every non-canonical key encoding: noble checks the key once.
    if (bytes === undefined || !ed25519.utils.isValidPublicKey(bytes, false)) return undefined
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, bytes]), format: 'der', type: 'spki' })
    publicKeys.set(base58, key)
  }
  return key
}

/** The base58 public key of a 32-byte ed25519 seed. */
export function ed25519PublicKey (seed: Uint8Array): string {
  return encodeBase58(ed25519.getPublicKey(seed))
}

/** An OpenSSL key for a 32-byte seed; building one costs more than a signature, so signers keep it. */
export function ed25519SigningKey (seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
}

/** {@link signEd25519} on libuv's thread pool, so a bulk import signs on another core. */
export async function signEd25519Async (message: Uint8Array, key: KeyObject): Promise<Uint8Array> {
  return await new Promise((resolve, reject) => {
    sign(null, message, key, (err, signature) => { if (err === null) resolve(new Uint8Array(signature)); else reject(err) })
  })
}

/** A 64-byte RFC 8032 ed25519 signature of `message`, by a seed or a key from {@link ed25519SigningKey}. */
export function signEd25519 (message: Uint8Array, seed: Uint8Array | KeyObject): Uint8Array {
  return new Uint8Array(sign(null, message, seed instanceof Uint8Array ? ed25519SigningKey(seed) : seed))
}

/**
 * Checks a base58 ed25519 signature. Verification is RFC 8032 strict (not ZIP-215): non-canonical
 * encodings of s or of the key are refused, so one signed text has exactly one valid signature.
 *
 * @throws InvalidSignatureError saying which check failed
 */
export function verifyEd25519 (message: Uint8Array, signature: string, publicKey: string): void {
  const bytes = signature.length > ED25519_SIGNATURE_MAX_BASE58 ? undefined : decodeBase58(signature)
  if (bytes === undefined) {
    throw new InvalidSignatureError(`an ed25519 signature must be base58 (bitcoin alphabet, no prefix) of ${ED25519_SIGNATURE_BYTES} bytes; this one is not base58 or is too long.`)
  }
  if (bytes.length !== ED25519_SIGNATURE_BYTES) {
    throw new InvalidSignatureError(`an ed25519 signature is ${ED25519_SIGNATURE_BYTES} bytes; this one decodes to ${bytes.length}.`)
  }
  const key = nativePublicKey(publicKey)
  if (key === undefined) {
    throw new InvalidSignatureError('the public_key is not a point on the ed25519 curve.')
  }
  let valid: boolean
  try {
    // OpenSSL's ed25519 (RFC 8032, cofactorless, s < L checked): about 10x faster than noble's.
    valid = verify(null, message, key, bytes)
  } catch {
    valid = false
  }
  if (!valid) throw new InvalidSignatureError('it does not match the signed text of this request for this public_key.')
}
