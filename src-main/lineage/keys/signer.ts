import type { KeyObject } from 'node:crypto'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { addressFromPrivateKey, ed25519PublicKey, ed25519SigningKey, signEd25519, signEd25519Async, signPersonalMessage } from '../signing/index.js'
import type { KeyType, TransactionSigner } from '../signing/index.js'
import { PRIVATE_KEY_BYTES } from './constants.js'
import { InvalidPrivateKeyError, KeyLockedError } from './errors.js'
import { createSignPool } from './sign-pool.js'
import type { SignPool } from './sign-pool.js'

/** An unlocked key. Its private key lives only in this object's memory and is erased by lock(). */
export interface Signer extends TransactionSigner {
  readonly name: string
  readonly locked: boolean
  /** Erases the private key; later sign() calls throw KeyLockedError. Idempotent. */
  lock(): void
}

/** The public key of a private key: 0x address for secp256k1, base58 for ed25519. */
export function publicKeyOf (type: KeyType, privateKey: Uint8Array): string {
  return type === 'secp256k1' ? addressFromPrivateKey(privateKey) : ed25519PublicKey(privateKey)
}

/**
 * Checks that 32 bytes are a usable private key of the type (a secp256k1 scalar must be in
 * [1, n-1]; every 32-byte string is an ed25519 seed).
 *
 * @throws InvalidPrivateKeyError
 */
export function assertPrivateKey (type: KeyType, privateKey: Uint8Array): void {
  if (privateKey.length !== PRIVATE_KEY_BYTES) throw new InvalidPrivateKeyError(`a ${type} private key is ${PRIVATE_KEY_BYTES} bytes; this one is ${privateKey.length}.`)
  if (type === 'secp256k1' && !secp256k1.utils.isValidSecretKey(privateKey)) {
    throw new InvalidPrivateKeyError('the bytes are not a valid secp256k1 private key (zero, or not below the curve order).')
  }
}

/** Wraps a private key; the signer owns the bytes from now on and zeroes them on lock(). */
export function createSigner (name: string, type: KeyType, privateKey: Uint8Array): Signer {
  return new MemorySigner(name, type, privateKey)
}

class MemorySigner implements Signer {
  readonly publicKey: string
  private secret: Uint8Array | undefined
  /** OpenSSL's form of an ed25519 seed, built once: building it costs more than a signature. */
  private signingKey: KeyObject | undefined
  /** secp256k1 signing threads, started by the first signAsync (a bulk import), closed by lock(). */
  private pool: SignPool | undefined

  constructor (readonly name: string, readonly type: KeyType, privateKey: Uint8Array) {
    this.publicKey = publicKeyOf(type, privateKey)
    this.secret = privateKey
  }

  get locked (): boolean {
    return this.secret === undefined
  }

  sign (message: Uint8Array): Uint8Array {
    if (this.secret === undefined) throw new KeyLockedError(this.name)
    if (this.type === 'secp256k1') return signPersonalMessage(message, this.secret)
    this.signingKey ??= ed25519SigningKey(this.secret)
    return signEd25519(message, this.signingKey)
  }

  async signAsync (message: Uint8Array): Promise<Uint8Array> {
    if (this.secret === undefined) throw new KeyLockedError(this.name)
    // secp256k1 is noble's, in JS: it runs on worker threads of our own; ed25519 (OpenSSL) on libuv's pool.
    if (this.type === 'secp256k1') {
      const secret = this.secret
      this.pool ??= createSignPool(secret, m => signPersonalMessage(m, secret))
      return await this.pool.sign(message)
    }
    this.signingKey ??= ed25519SigningKey(this.secret)
    return await signEd25519Async(message, this.signingKey)
  }

  lock (): void {
    this.secret?.fill(0)
    this.secret = undefined
    this.pool?.close()
    this.pool = undefined
    // A KeyObject's memory cannot be overwritten from JavaScript; dropping it leaves it to the collector.
    this.signingKey = undefined
  }
}
