import { fieldLabel } from '../signing/index.js'

/** A registry write is malformed: a field is missing, of the wrong type, too large or not in its format. */
export class InvalidRegistryRequestError extends Error {
  override readonly name = 'InvalidRegistryRequestError'
  constructor (readonly field: string, detail: string) {
    super(`Invalid registry write: ${fieldLabel(field)} ${detail}`)
  }
}

/** The signature does not prove that public_key signed exactly this registry write. */
export class InvalidRegistrySignatureError extends Error {
  override readonly name = 'InvalidRegistrySignatureError'
  constructor (detail: string, options?: ErrorOptions) {
    super(`The registry write's signature is not valid: ${detail}`, options)
  }
}

/** Someone other than an entry's owner tried to change it. */
export class RegistryOwnerError extends Error {
  override readonly name = 'RegistryOwnerError'
  constructor (readonly registryId: string, readonly owner: string) {
    super(`The registry entry "${registryId}" belongs to ${owner}; only that key may change it.`)
  }
}

/** The (public_key, nonce) pair was already used by a registry write. */
export class ReplayedRegistryWriteError extends Error {
  override readonly name = 'ReplayedRegistryWriteError'
  constructor (readonly existingHash: string) {
    super(`This key already used this nonce for a registry write (${existingHash}). Sign the write again with a new nonce.`)
  }
}
