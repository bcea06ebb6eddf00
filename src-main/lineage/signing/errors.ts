import { FORBIDDEN_CHARACTER } from './constants.js'

/**
 * How an error message names a field: as is when it is a plain name, otherwise quoted, cut to 80
 * characters and with control and invisible characters as \u escapes, so that an unknown key
 * that is empty, invisible or huge still shows.
 */
export function fieldLabel (field: string): string {
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(field)) return field
  const quoted = JSON.stringify(field.length > 80 ? `${field.slice(0, 80)}…` : field)
  return quoted.replace(new RegExp(FORBIDDEN_CHARACTER.source, 'gu'), c => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`)
}

/** A transaction request is malformed: a field is missing, of the wrong type, too large or not in its format. */
export class InvalidTransactionError extends Error {
  override readonly name = 'InvalidTransactionError'
  constructor (readonly field: string, detail: string) {
    super(`Invalid transaction: ${fieldLabel(field)} ${detail}`)
  }
}

/** The request is well formed but its signature does not prove that the public_key signed exactly this request. */
export class InvalidSignatureError extends Error {
  override readonly name = 'InvalidSignatureError'
  constructor (detail: string) {
    super(`The transaction signature is not valid: ${detail}`)
  }
}

/** The key offered to sign a request is not the request's public_key. */
export class SignerMismatchError extends Error {
  override readonly name = 'SignerMismatchError'
  constructor (readonly signerPublicKey: string, readonly requestPublicKey: string) {
    super(`This key (${signerPublicKey}) cannot sign a request whose public_key is ${requestPublicKey}.`)
  }
}
