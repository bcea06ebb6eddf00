import { utf8ToBytes } from '@noble/hashes/utils.js'
import { recoverPersonalSigner } from './eip191.js'
import { verifyEd25519 } from './ed25519.js'
import { InvalidSignatureError } from './errors.js'
import { canonicalPublicKey, messageOf, prepared } from './message.js'
import type { PreparedTransaction } from './message.js'
import { signatureScheme, validateTransactionRequest } from './request.js'
import type { SignatureScheme, TransactionRequest } from './request.js'

export interface VerifiedSigner {
  /** The signer as the protocol names it: lower-case 0x address, or base58 ed25519 key. */
  signer: string
  scheme: SignatureScheme
}

/**
 * Proves that `public_key` signed exactly this request: every field, the nonce, and the SHA-256
 * of `data` and `mcdata`.
 *
 * @throws InvalidTransactionError if the request is malformed
 * @throws InvalidSignatureError saying which check failed
 */
export function verifyTransactionSignature (request: TransactionRequest): VerifiedSigner {
  const valid = validateTransactionRequest(request)
  return verifyMessage(utf8ToBytes(messageOf(valid)), valid)
}

/**
 * Validates a submitted request and proves its signature, building the signed bytes once; the
 * result carries the hash that identifies the transaction.
 *
 * @throws InvalidTransactionError naming the first field that fails
 * @throws InvalidSignatureError saying which check failed
 */
export function checkSignedTransaction (raw: unknown): PreparedTransaction<TransactionRequest> & VerifiedSigner {
  const checked = prepared(validateTransactionRequest(raw))
  return { ...checked, ...verifyMessage(checked.message, checked.request) }
}

function verifyMessage (message: Uint8Array, valid: TransactionRequest): VerifiedSigner {
  const signer = canonicalPublicKey(valid.public_key)
  const scheme = signatureScheme(signer)
  if (scheme === 'eip191') {
    const recovered = recoverPersonalSigner(message, valid.signature)
    if (recovered !== signer) {
      throw new InvalidSignatureError(`it was made by ${recovered}, not by the public_key ${signer} (a different key, or a different text was signed).`)
    }
  } else {
    verifyEd25519(message, valid.signature, signer)
  }
  return { signer, scheme }
}
