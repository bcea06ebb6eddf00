import type { KeyObject } from 'node:crypto'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { addressFromPrivateKey, ed25519PublicKey, ed25519SigningKey, signEd25519, signEd25519Async, signPersonalMessage } from '../signing/index.js'
import type { KeyType, TransactionSigner } from '../signing/index.js'
import { PRIVATE_KEY_BYTES } from './constants.js'
import { InvalidKeyTypeError, InvalidPrivateKeyError, KeyLockedError } from './errors.js'
import { createSignPool } from './sign-pool.js'
import type { SignPool } from './sign-pool.js'

/** An unlocked key. Its private key lives only in this object's memory and is erased by lock(). */
export interface Signer extends TransactionSigner {
  readonly name: string
  readonly locked: boolean
  /**
   * Signs an EVM transaction the node built: `unsigned` is its unsigned EIP-2718 typed envelope
   * (0x02 ‖ rlp(…), EIP-1559), hashed here with keccak-256. Nothing else is accepted, so this
   * cannot be made to sign a raw digest or a personal message (whose preimage starts with 0x19).
   * secp256k1 keys only.
   */
  signEvmTransaction(unsigned: Uint8Array): { r: string, s: string, yParity: 0 | 1 }
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

/** The first byte of an EIP-1559 transaction's envelope (EIP-2718 type 2). */
const EIP1559_TX_TYPE = 0x02

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

  signEvmTransaction (unsigned: Uint8Array): { r: string, s: string, yParity: 0 | 1 } {
    if (this.secret === undefined) throw new KeyLockedError(this.name)
    if (this.type !== 'secp256k1') throw new InvalidKeyTypeError(`${this.type} (an EVM transaction needs a secp256k1 key)`)
    if (unsigned[0] !== EIP1559_TX_TYPE) throw new RangeError('only an unsigned EIP-1559 transaction envelope (0x02 ‖ rlp) is signed')
    const signature = secp256k1.Signature.fromBytes(secp256k1.sign(keccak_256(unsigned), this.secret, { prehash: false, format: 'recovered' }), 'recovered')
    const hex = (n: bigint): string => `0x${n.toString(16).padStart(64, '0')}`
    return { r: hex(signature.r), s: hex(signature.s), yParity: signature.recovery === 1 ? 1 : 0 }
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
