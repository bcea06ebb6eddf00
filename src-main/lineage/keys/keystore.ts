import fs from 'node:fs'
import path from 'node:path'
import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToHex, hexToBytes, randomBytes } from '@noble/hashes/utils.js'
import type { Logger } from '@libp2p/logger'
import type { KeyType } from '../signing/index.js'
import {
  KEY_FILE_MODE, KEY_NAME_PATTERN, KEYSTORE_DIR, KEYSTORE_DIR_MODE, MAX_KEY_FILE_BYTES, MIN_PASSPHRASE_LENGTH, MIN_SCRYPT_N,
  RESERVED_KEY_NAMES, SCRYPT_N, SCRYPT_P, SCRYPT_R
} from './constants.js'
import {
  InvalidKeyNameError, InvalidKeyTypeError, InvalidPrivateKeyError, KeyExistsError, KeyFileError, KeyNotFoundError,
  KeystoreFormatError, WeakPassphraseError, WrongPassphraseError
} from './errors.js'
import { decryptKeystore, encryptKeystore, readKeystoreHeader } from './secret-storage.js'
import type { KeystoreHeader, ScryptParams } from './secret-storage.js'
import { assertPrivateKey, createSigner, publicKeyOf } from './signer.js'
import type { Signer } from './signer.js'

export interface KeystoreComponents {
  log: Logger
}

export interface KeystoreInit {
  /** The node's data dir; keys live in `<dataDir>/keystore/`. */
  dataDir: string
  /** scrypt N for keys this keystore encrypts (a power of two); default SCRYPT_N. Tests pass a small one. */
  scryptN?: number
}

/** A key as anyone may see it: never any private material. */
export interface KeyInfo {
  name: string
  type: KeyType
  /** 0x address (secp256k1, lower-case) or base58 (ed25519). */
  publicKey: string
  /** ISO 8601. */
  createdAt: string
}

export interface Keystore {
  /** The folder holding the key files. */
  readonly dir: string
  /** Generates a new key and stores it encrypted. */
  create(name: string, type: KeyType, passphrase: string): Promise<KeyInfo>
  /**
   * Stores an existing key: 32 bytes, 64 hex digits (0x optional), or a v3 keystore JSON
   * (geth, MetaMask, ethers, or ours) that `passphrase` decrypts. Stored encrypted with `passphrase`.
   */
  import(name: string, type: KeyType, privateKeyOrKeystoreJson: string | Uint8Array, passphrase: string): Promise<KeyInfo>
  /** Every readable key, by name. Unreadable files are logged and left out. */
  list(): KeyInfo[]
  exportPublic(name: string): KeyInfo
  /** Decrypts a key into memory; call lock() on the signer when done. */
  unlock(name: string, passphrase: string): Promise<Signer>
  /**
   * The key's file as stored: a v3 keystore JSON, still encrypted with its passphrase, which
   * `import` (and wallets, for an EVM key) take back. A backup: no private material is in clear.
   */
  exportKeystore(name: string): { info: KeyInfo, text: string }
  /** Deletes the key's file; what it signed stays valid, but nothing signs as it again without a backup. */
  delete(name: string): KeyInfo
}

const KEY_TYPES: readonly string[] = ['ed25519', 'secp256k1']
/** Errors from link() that mean "this file system has no hard links", not "the name exists". */
const NO_LINK_CODES = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV', 'EOPNOTSUPP'])

export class FileKeystore implements Keystore {
  readonly dir: string
  private readonly log: Logger
  private readonly scrypt: ScryptParams

  constructor (components: KeystoreComponents, init: KeystoreInit) {
    this.dir = path.join(init.dataDir, KEYSTORE_DIR)
    this.log = components.log
    const n = init.scryptN ?? SCRYPT_N
    if (!Number.isSafeInteger(n) || n < MIN_SCRYPT_N || (n & (n - 1)) !== 0) {
      throw new RangeError(`scryptN must be a power of two of at least ${MIN_SCRYPT_N}; got ${n}.`)
    }
    this.scrypt = { n, r: SCRYPT_R, p: SCRYPT_P }
  }

  async create (name: string, type: KeyType, passphrase: string): Promise<KeyInfo> {
    this.checkNew(name, type, passphrase)
    const privateKey = type === 'secp256k1' ? secp256k1.utils.randomSecretKey() : ed25519.utils.randomSecretKey()
    return await this.store(name, type, privateKey, passphrase, 'created')
  }

  async import (name: string, type: KeyType, material: string | Uint8Array, passphrase: string): Promise<KeyInfo> {
    this.checkNew(name, type, passphrase)
    const privateKey = await this.privateKeyFrom(name, type, material, passphrase)
    return await this.store(name, type, privateKey, passphrase, 'imported')
  }

  list (): KeyInfo[] {
    let entries: string[]
    try {
      entries = fs.readdirSync(this.dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const keys: KeyInfo[] = []
    for (const entry of entries) {
      if (!entry.endsWith('.json')) continue
      const name = entry.slice(0, -'.json'.length)
      if (!isValidName(name)) continue
      try {
        keys.push(this.info(name))
      } catch (err) {
        this.log.error('key file %s left out of the list: %s', entry, (err as Error).message)
      }
    }
    return keys.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  }

  exportPublic (name: string): KeyInfo {
    checkName(name)
    return this.info(name)
  }

  exportKeystore (name: string): { info: KeyInfo, text: string } {
    checkName(name)
    const json = this.read(name)
    return { info: this.info(name, json), text: JSON.stringify(json, null, 2) }
  }

  delete (name: string): KeyInfo {
    checkName(name)
    const info = this.info(name)
    fs.rmSync(this.file(name))
    syncDir(this.dir)
    this.log('deleted key %s (%s)', name, info.publicKey)
    return info
  }

  async unlock (name: string, passphrase: string): Promise<Signer> {
    checkName(name)
    const file = this.file(name)
    const json = this.read(name)
    const info = this.info(name, json)
    let result
    try {
      result = await decryptKeystore(json, passphrase)
    } catch (err) {
      throw new KeyFileError(file, (err as Error).message)
    }
    if (result === undefined) throw new WrongPassphraseError(name)
    const { privateKey } = result
    try {
      assertPrivateKey(info.type, privateKey)
    } catch (err) {
      privateKey.fill(0)
      throw new KeyFileError(file, (err as Error).message)
    }
    // The public key in the file is outside the MAC; a file edited to show another key must not unlock.
    const actual = publicKeyOf(info.type, privateKey)
    if (actual !== info.publicKey) {
      privateKey.fill(0)
      throw new KeyFileError(file, `its recorded public key ${info.publicKey} is not the key it holds (${actual})`)
    }
    this.log('unlocked key %s', name)
    return createSigner(name, info.type, privateKey)
  }

  private checkNew (name: string, type: KeyType, passphrase: string): void {
    checkName(name)
    if (!KEY_TYPES.includes(type)) throw new InvalidKeyTypeError(String(type))
    if (typeof passphrase !== 'string' || [...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new WeakPassphraseError()
    if (fs.existsSync(this.file(name))) throw new KeyExistsError(name)
  }

  private async privateKeyFrom (name: string, type: KeyType, material: string | Uint8Array, passphrase: string): Promise<Uint8Array> {
    if (material instanceof Uint8Array) {
      const copy = Uint8Array.from(material)
      assertPrivateKey(type, copy)
      return copy
    }
    if (typeof material !== 'string') throw new InvalidPrivateKeyError('expected a hex private key or a keystore JSON text.')
    const text = material.trim()
    if (text.startsWith('{')) return await this.fromKeystoreJson(name, type, text, passphrase)
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
      throw new InvalidPrivateKeyError('expected 32 bytes as 64 hex digits (0x optional), or a keystore JSON text.')
    }
    const privateKey = hexToBytes(text.replace(/^0x/, ''))
    assertPrivateKey(type, privateKey)
    return privateKey
  }

  private async fromKeystoreJson (name: string, type: KeyType, text: string, passphrase: string): Promise<Uint8Array> {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new InvalidPrivateKeyError('the text starts like JSON but is not valid JSON.')
    }
    let result
    try {
      result = await decryptKeystore(json, passphrase)
    } catch (err) {
      if (err instanceof KeystoreFormatError) throw new InvalidPrivateKeyError(err.message)
      throw err
    }
    if (result === undefined) throw new WrongPassphraseError(name)
    const { privateKey, header } = result
    // A keystore without Lineage's field comes from a wallet, so it holds an EVM key.
    const stored = header.lineage?.type ?? 'secp256k1'
    if (stored !== type) {
      privateKey.fill(0)
      throw new InvalidPrivateKeyError(`the keystore holds a ${stored} key, not ${type}.`)
    }
    try {
      assertPrivateKey(type, privateKey)
      if (type === 'secp256k1' && header.address !== undefined && publicKeyOf(type, privateKey) !== `0x${header.address}`) {
        throw new InvalidPrivateKeyError(`the keystore's address 0x${header.address} is not the address of the key it holds.`)
      }
    } catch (err) {
      privateKey.fill(0)
      throw err
    }
    return privateKey
  }

  private async store (name: string, type: KeyType, privateKey: Uint8Array, passphrase: string, verb: string): Promise<KeyInfo> {
    const info: KeyInfo = { name, type, publicKey: publicKeyOf(type, privateKey), createdAt: new Date().toISOString() }
    let json
    try {
      json = await encryptKeystore(privateKey, passphrase, this.scrypt, { type, publicKey: info.publicKey, createdAt: info.createdAt })
    } finally {
      privateKey.fill(0)
    }
    this.ensureDir()
    this.writeNew(name, JSON.stringify(json))
    this.log('%s %s key %s (%s)', verb, type, name, info.publicKey)
    return info
  }

  /**
   * Writes the whole file under a temporary name, flushes it, then links it to its final name.
   * link(), unlike rename(), fails if the name exists: two concurrent creates of one name cannot
   * both succeed, and an existing key is never replaced. A crash leaves at most a stray temp file.
   */
  private writeNew (name: string, text: string): void {
    const file = this.file(name)
    const temp = path.join(this.dir, `.${name}.${process.pid}.${bytesToHex(randomBytes(6))}.tmp`)
    const fd = fs.openSync(temp, 'wx', KEY_FILE_MODE)
    try {
      fs.writeFileSync(fd, text)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    try {
      try {
        fs.linkSync(temp, file)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? ''
        if (code === 'EEXIST') throw new KeyExistsError(name)
        if (!NO_LINK_CODES.has(code)) throw err
        // No hard links here (e.g. exFAT): fall back to a checked rename, atomic for the content.
        if (fs.existsSync(file)) throw new KeyExistsError(name)
        fs.renameSync(temp, file)
      }
    } finally {
      fs.rmSync(temp, { force: true })
    }
    syncDir(this.dir)
  }

  private ensureDir (): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: KEYSTORE_DIR_MODE })
    if (process.platform === 'win32') return
    const mode = fs.statSync(this.dir).mode & 0o777
    if (mode !== KEYSTORE_DIR_MODE) {
      fs.chmodSync(this.dir, KEYSTORE_DIR_MODE)
      this.log('keystore %s had mode %s; restricted to owner', this.dir, mode.toString(8))
    }
  }

  private file (name: string): string {
    return path.join(this.dir, `${name}.json`)
  }

  private read (name: string): unknown {
    const file = this.file(name)
    let text: string
    try {
      if (fs.statSync(file).size > MAX_KEY_FILE_BYTES) throw new KeyFileError(file, `larger than ${MAX_KEY_FILE_BYTES} bytes`)
      text = fs.readFileSync(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new KeyNotFoundError(name)
      if (err instanceof KeyFileError) throw err
      throw new KeyFileError(file, (err as Error).message)
    }
    try {
      return JSON.parse(text)
    } catch {
      throw new KeyFileError(file, 'not valid JSON')
    }
  }

  /** The public description of a key file; `json` when already read. */
  private info (name: string, json: unknown = this.read(name)): KeyInfo {
    const file = this.file(name)
    let header: KeystoreHeader
    try {
      header = readKeystoreHeader(json)
    } catch (err) {
      throw new KeyFileError(file, (err as Error).message)
    }
    if (header.lineage !== undefined) {
      if (header.lineage.type === 'secp256k1' && header.address !== undefined && header.lineage.publicKey !== `0x${header.address}`) {
        throw new KeyFileError(file, 'its address and its x-lineage public key differ')
      }
      return { name, ...header.lineage }
    }
    // A wallet's keystore copied in by hand: an EVM key, dated by the file.
    if (header.address === undefined) throw new KeyFileError(file, 'it names neither an address nor a Lineage key type')
    return { name, type: 'secp256k1', publicKey: `0x${header.address}`, createdAt: fs.statSync(file).mtime.toISOString() }
  }
}

function isValidName (name: string): boolean {
  return typeof name === 'string' && KEY_NAME_PATTERN.test(name) && !RESERVED_KEY_NAMES.has(name)
}

function checkName (name: string): void {
  if (!isValidName(name)) throw new InvalidKeyNameError(String(name))
}

/** Makes the new directory entry durable; Windows cannot open a directory, and NTFS journals it anyway. */
function syncDir (dir: string): void {
  if (process.platform === 'win32') return
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
