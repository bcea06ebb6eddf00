/** A transaction request is malformed: a field is missing, of the wrong type, too large or not in its format. */
export class InvalidTransactionError extends Error {
  override readonly name = 'InvalidTransactionError'
  constructor (readonly field: string, detail: string) {
    super(`Invalid transaction: ${field} ${detail}`)
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
