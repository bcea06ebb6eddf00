import { KEY_NAME_PATTERN, MIN_PASSPHRASE_LENGTH } from './constants.js'

/** A key name is not allowed (it could escape the keystore folder, or is not a portable file name). */
export class InvalidKeyNameError extends Error {
  override readonly name = 'InvalidKeyNameError'
  constructor (readonly keyName: string) {
    super(`"${keyName.slice(0, 80)}" is not a valid key name: use 1 to 64 lower-case letters, digits, "_" or "-", starting with a letter or digit (${KEY_NAME_PATTERN.source}).`)
  }
}

/** The key type is neither ed25519 nor secp256k1. */
export class InvalidKeyTypeError extends Error {
  override readonly name = 'InvalidKeyTypeError'
  constructor (readonly keyType: string) {
    super(`"${keyType.slice(0, 80)}" is not a key type: use "ed25519" or "secp256k1" (an EVM wallet key).`)
  }
}

/** A key with this name already exists; keys are never overwritten. */
export class KeyExistsError extends Error {
  override readonly name = 'KeyExistsError'
  constructor (readonly keyName: string) {
    super(`A key named "${keyName}" already exists. Choose another name; existing keys are never overwritten.`)
  }
}

/** No key has this name. */
export class KeyNotFoundError extends Error {
  override readonly name = 'KeyNotFoundError'
  constructor (readonly keyName: string) {
    super(`There is no key named "${keyName}".`)
  }
}

/** The passphrase does not decrypt the key (the keystore's MAC does not match). */
export class WrongPassphraseError extends Error {
  override readonly name = 'WrongPassphraseError'
  constructor (readonly keyName: string) {
    super(`Wrong passphrase for the key "${keyName}".`)
  }
}

/** A passphrase is too short to protect a key. */
export class WeakPassphraseError extends Error {
  override readonly name = 'WeakPassphraseError'
  constructor () {
    super(`A key passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`)
  }
}

/** A key file exists but cannot be read or is not a usable keystore. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError'
  constructor (readonly path: string, detail: string) {
    super(`The key file ${path} cannot be used (${detail}). Restore it from a backup, or move it away.`)
  }
}

/** The material offered to import is not a private key or keystore of the stated type. */
export class InvalidPrivateKeyError extends Error {
  override readonly name = 'InvalidPrivateKeyError'
  constructor (detail: string) {
    super(`Cannot import the key: ${detail}`)
  }
}

/** A signer was used after lock(); its private key has been erased from memory. */
export class KeyLockedError extends Error {
  override readonly name = 'KeyLockedError'
  constructor (readonly keyName: string) {
    super(`The key "${keyName}" is locked. Unlock it with its passphrase to sign.`)
  }
}

/** A JSON document is not a Web3 Secret Storage v3 keystore this node can read. */
export class KeystoreFormatError extends Error {
  override readonly name = 'KeystoreFormatError'
  constructor (detail: string) {
    super(`Not a usable Web3 Secret Storage v3 keystore: ${detail}`)
  }
}
