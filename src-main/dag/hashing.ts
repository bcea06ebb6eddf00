import { createHash, hash as oneShotHash } from 'node:crypto'
import { equals } from 'multiformats/bytes'
import type { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { identity } from 'multiformats/hashes/identity'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { UnsupportedHashError } from './errors.js'

/** Synchronous hashers (node:crypto), so blocks can be made and checked inside a SQLite transaction. */
const HASHERS: ReadonlyMap<number, (bytes: Uint8Array) => Uint8Array> = new Map([
  [sha256.code, (bytes: Uint8Array) => createHash('sha256').update(bytes).digest()],
  [sha512.code, (bytes: Uint8Array) => createHash('sha512').update(bytes).digest()],
  [identity.code, (bytes: Uint8Array) => bytes],
])

/** The sha2-256 multihash of `bytes`, computed synchronously. */
export function sha256Digest (bytes: Uint8Array): Digest.Digest<typeof sha256.code, number> {
  const hash = oneShotHash('sha256', bytes, 'buffer')
  // A plain Uint8Array, as multiformats' own hashers give, so equal CIDs also compare deep-equal.
  return Digest.create(sha256.code, new Uint8Array(hash.buffer, hash.byteOffset, hash.byteLength))
}

/**
 * True when `bytes` hash to `cid`'s multihash, with the CID's own hash function.
 * Throws UnsupportedHashError for a hash function this node cannot compute.
 */
export function verifyBlock (cid: CID, bytes: Uint8Array): boolean {
  const hash = HASHERS.get(cid.multihash.code)
  if (hash === undefined) throw new UnsupportedHashError(cid.toString(), cid.multihash.code)
  return equals(hash(bytes), cid.multihash.digest)
}
