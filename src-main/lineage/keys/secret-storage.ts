import { randomUUID, scrypt as nodeScrypt } from 'node:crypto'
import { ctr } from '@noble/ciphers/aes.js'
import { equalBytes } from '@noble/ciphers/utils.js'
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, concatBytes, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import type { KeyType } from '../signing/index.js'
import {
  DERIVED_KEY_BYTES, LINEAGE_FIELD, MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_MEMORY_BYTES, MAX_SCRYPT_P, PRIVATE_KEY_BYTES
} from './constants.js'
import { KeystoreFormatError } from './errors.js'

/** What Lineage adds to a keystore, readable without the passphrase. Not covered by the MAC: unlock re-derives and compares the public key. */
export interface LineageKeyInfo {
  type: KeyType
  /** 0x address (secp256k1) or base58 (ed25519). */
  publicKey: string
  /** ISO 8601. */
  createdAt: string
}

export interface ScryptParams { n: number, r: number, p: number }

/**
 * A Web3 Secret Storage v3 document (the geth / MetaMask / ethers keystore JSON). `address` is
 * written for secp256k1 keys only; ed25519 keys are recognised by `x-lineage.type`.
 */
export interface KeystoreJson {
  version: 3
  id: string
  address?: string
  crypto: {
    cipher: 'aes-128-ctr'
    cipherparams: { iv: string }
    ciphertext: string
    kdf: 'scrypt'
    kdfparams: { dklen: number, n: number, p: number, r: number, salt: string }
    mac: string
  }
  [LINEAGE_FIELD]: LineageKeyInfo
}

/** The readable parts of a keystore: enough to list it, not to use it. */
export interface KeystoreHeader {
  /** Lower-case, without 0x, as the file stores it. */
  address?: string
  lineage?: LineageKeyInfo
}

type Kdf =
  | { kdf: 'scrypt', salt: Uint8Array, n: number, r: number, p: number }
  | { kdf: 'pbkdf2', salt: Uint8Array, c: number }

interface ParsedKeystore extends KeystoreHeader {
  kdf: Kdf
  iv: Uint8Array
  ciphertext: Uint8Array
  mac: Uint8Array
}

/** Encrypts a 32-byte private key: scrypt → AES-128-CTR, MAC = keccak256(derivedKey[16..32] ‖ ciphertext). */
export async function encryptKeystore (privateKey: Uint8Array, passphrase: string, scrypt: ScryptParams, info: LineageKeyInfo): Promise<KeystoreJson> {
  const salt = randomBytes(32)
  const iv = randomBytes(16)
  const derived = await scryptKey(passwordBytes(passphrase), salt, scrypt)
  try {
    const ciphertext = ctr(derived.subarray(0, 16), iv).encrypt(privateKey)
    const mac = keccak_256(concatBytes(derived.subarray(16, 32), ciphertext))
    return {
      version: 3,
      id: randomUUID(),
      ...(info.type === 'secp256k1' ? { address: info.publicKey.slice(2).toLowerCase() } : {}),
      crypto: {
        cipher: 'aes-128-ctr',
        cipherparams: { iv: bytesToHex(iv) },
        ciphertext: bytesToHex(ciphertext),
        kdf: 'scrypt',
        kdfparams: { dklen: DERIVED_KEY_BYTES, n: scrypt.n, p: scrypt.p, r: scrypt.r, salt: bytesToHex(salt) },
        mac: bytesToHex(mac)
      },
      [LINEAGE_FIELD]: info
    }
  } finally {
    derived.fill(0)
  }
}

/**
 * Decrypts a v3 keystore (scrypt or pbkdf2-hmac-sha256, aes-128-ctr), ours or a wallet's.
 * Returns undefined when the MAC does not match: the passphrase is wrong.
 *
 * @throws KeystoreFormatError if the document is not a readable keystore
 */
export async function decryptKeystore (json: unknown, passphrase: string): Promise<{ privateKey: Uint8Array, header: KeystoreHeader } | undefined> {
  const parsed = parseKeystore(json)
  // ethers normalises passphrases to NFKC, geth uses the bytes as typed: try both, so either
  // tool's keystore opens, and one passphrase typed in composed or decomposed form unlocks ours.
  const candidates = [...new Set([passphrase.normalize('NFKC'), passphrase])]
  for (const candidate of candidates) {
    const derived = await deriveKey(parsed.kdf, utf8ToBytes(candidate))
    try {
      if (!equalBytes(keccak_256(concatBytes(derived.subarray(16, 32), parsed.ciphertext)), parsed.mac)) continue
      const privateKey = ctr(derived.subarray(0, 16), parsed.iv).decrypt(parsed.ciphertext)
      return { privateKey, header: { address: parsed.address, lineage: parsed.lineage } }
    } finally {
      derived.fill(0)
    }
  }
  return undefined
}

/**
 * The parts of a keystore readable without its passphrase.
 *
 * @throws KeystoreFormatError if the document is not a readable keystore
 */
export function readKeystoreHeader (json: unknown): KeystoreHeader {
  const { address, lineage } = parseKeystore(json)
  return { address, lineage }
}

function passwordBytes (passphrase: string): Uint8Array {
  return utf8ToBytes(passphrase.normalize('NFKC'))
}

function scryptMemory ({ n, r, p }: ScryptParams): number {
  // 128·r·(N + p), what scrypt needs, plus room for its small buffers.
  return 128 * r * (n + p) + 1024 * 1024
}

/**
 * scrypt as OpenSSL computes it, on libuv's thread pool: the same bytes as any implementation
 * (RFC 7914), about ten times faster than one in JavaScript, and off the event loop.
 */
async function scryptKey (password: Uint8Array, salt: Uint8Array, { n, r, p }: ScryptParams): Promise<Uint8Array> {
  return await new Promise((resolve, reject) => {
    nodeScrypt(password, salt, DERIVED_KEY_BYTES, { N: n, r, p, maxmem: scryptMemory({ n, r, p }) }, (err, key) => {
      if (err === null) resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength))
      else reject(err)
    })
  })
}

async function deriveKey (kdf: Kdf, password: Uint8Array): Promise<Uint8Array> {
  if (kdf.kdf === 'scrypt') {
    return await scryptKey(password, kdf.salt, kdf)
  }
  return await pbkdf2Async(sha256, password, kdf.salt, { c: kdf.c, dkLen: DERIVED_KEY_BYTES })
}

function parseKeystore (json: unknown): ParsedKeystore {
  const doc = object(json, 'the document')
  if (doc.version !== 3 && doc.version !== '3') throw new KeystoreFormatError('version is not 3.')
  // Some old geth files spell it "Crypto".
  const crypto = object(doc.crypto ?? doc.Crypto, 'crypto')
  if (crypto.cipher !== 'aes-128-ctr') throw new KeystoreFormatError('the cipher is not aes-128-ctr, the only one supported.')
  const iv = hex(object(crypto.cipherparams, 'crypto.cipherparams').iv, 'crypto.cipherparams.iv', 16)
  const ciphertext = hex(crypto.ciphertext, 'crypto.ciphertext', PRIVATE_KEY_BYTES)
  const mac = hex(crypto.mac, 'crypto.mac', 32)
  const params = object(crypto.kdfparams, 'crypto.kdfparams')
  if (params.dklen !== DERIVED_KEY_BYTES) throw new KeystoreFormatError(`crypto.kdfparams.dklen must be ${DERIVED_KEY_BYTES}.`)
  const salt = hex(params.salt, 'crypto.kdfparams.salt')
  let kdf: Kdf
  if (crypto.kdf === 'scrypt') {
    const n = integer(params.n, 'crypto.kdfparams.n')
    const r = integer(params.r, 'crypto.kdfparams.r')
    const p = integer(params.p, 'crypto.kdfparams.p')
    if (n < 2 || (n & (n - 1)) !== 0) throw new KeystoreFormatError('crypto.kdfparams.n must be a power of two.')
    if (128 * n * r > MAX_SCRYPT_MEMORY_BYTES || p > MAX_SCRYPT_P) {
      throw new KeystoreFormatError(`its scrypt parameters (n ${n}, r ${r}, p ${p}) exceed the limit of ${MAX_SCRYPT_MEMORY_BYTES / 2 ** 20} MiB and p ${MAX_SCRYPT_P}.`)
    }
    kdf = { kdf: 'scrypt', salt, n, r, p }
  } else if (crypto.kdf === 'pbkdf2') {
    if (params.prf !== 'hmac-sha256') throw new KeystoreFormatError('the pbkdf2 prf is not hmac-sha256, the only one supported.')
    const c = integer(params.c, 'crypto.kdfparams.c')
    if (c > MAX_PBKDF2_ITERATIONS) throw new KeystoreFormatError(`its pbkdf2 iteration count ${c} exceeds the limit of ${MAX_PBKDF2_ITERATIONS}.`)
    kdf = { kdf: 'pbkdf2', salt, c }
  } else {
    throw new KeystoreFormatError('the kdf is neither scrypt nor pbkdf2, the only ones supported.')
  }
  let address: string | undefined
  if (doc.address !== undefined) {
    if (typeof doc.address !== 'string' || !/^(0x)?[0-9a-fA-F]{40}$/.test(doc.address)) throw new KeystoreFormatError('address is not 40 hex digits.')
    address = doc.address.replace(/^0x/, '').toLowerCase()
  }
  return { kdf, iv, ciphertext, mac, address, lineage: lineageInfo(doc[LINEAGE_FIELD]) }
}

function lineageInfo (value: unknown): LineageKeyInfo | undefined {
  if (value === undefined) return undefined
  const info = object(value, LINEAGE_FIELD)
  if (info.type !== 'ed25519' && info.type !== 'secp256k1') throw new KeystoreFormatError(`${LINEAGE_FIELD}.type must be "ed25519" or "secp256k1".`)
  if (typeof info.publicKey !== 'string' || info.publicKey.length === 0) throw new KeystoreFormatError(`${LINEAGE_FIELD}.publicKey is missing.`)
  if (typeof info.createdAt !== 'string' || Number.isNaN(Date.parse(info.createdAt))) throw new KeystoreFormatError(`${LINEAGE_FIELD}.createdAt is not a date.`)
  return { type: info.type, publicKey: info.publicKey, createdAt: info.createdAt }
}

function object (value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new KeystoreFormatError(`${what} is not an object.`)
  return value as Record<string, unknown>
}

function integer (value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new KeystoreFormatError(`${what} is not a positive integer.`)
  return value
}

function hex (value: unknown, what: string, bytes?: number): Uint8Array {
  if (typeof value !== 'string') throw new KeystoreFormatError(`${what} is not a hex string.`)
  const digits = value.replace(/^0x/, '')
  if (!/^([0-9a-fA-F]{2})*$/.test(digits) || digits.length > 256) throw new KeystoreFormatError(`${what} is not a hex string.`)
  if (bytes !== undefined && digits.length !== bytes * 2) throw new KeystoreFormatError(`${what} is ${digits.length / 2} bytes, not ${bytes}.`)
  return hexToBytes(digits)
}
