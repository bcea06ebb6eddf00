import { ed25519 } from '@noble/curves/ed25519.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { canonicalPublicKey, decodeBase58, ED25519_SIGNATURE_BYTES, ED25519_SIGNATURE_MAX_BASE58, recoverPersonalSigner, signatureScheme } from '../signing/index.js'
import { InvalidRegistrySignatureError } from './errors.js'
import { registryMessage } from './request.js'
import type { RegistryWrite } from './request.js'

/**
 * Proves that `public_key` signed exactly this registry write, and returns the signer as the
 * protocol names it (lower-case 0x address, or base58 ed25519 key). EVM signatures go through the
 * same EIP-191 recovery as transactions (low s only); ed25519 ones are checked RFC 8032 strict
 * (not ZIP-215), so one text has one valid signature, as for transactions.
 *
 * @throws InvalidRegistrySignatureError saying which check failed
 */
export function verifyRegistryWrite (write: RegistryWrite): string {
  const message = utf8ToBytes(registryMessage(write))
  const signer = canonicalPublicKey(write.public_key)
  if (signatureScheme(signer) === 'eip191') {
    if (!/^0x[0-9a-fA-F]{130}$/.test(write.signature)) {
      throw new InvalidRegistrySignatureError('an EVM signature is 0x followed by 130 hex digits (65 bytes r ‖ s ‖ v).')
    }
    let recovered: string
    try {
      recovered = recoverPersonalSigner(message, write.signature)
    } catch (err) {
      // The signing module's error says which check failed after its own "…: " lead-in.
      const text = (err as Error).message
      throw new InvalidRegistrySignatureError(text.slice(text.indexOf(': ') + 2), { cause: err })
    }
    if (recovered !== signer) {
      throw new InvalidRegistrySignatureError(`it was made by ${recovered}, not by the public_key ${signer} (a different key, or a different text was signed).`)
    }
    return signer
  }
  const signature = write.signature.length > ED25519_SIGNATURE_MAX_BASE58 ? undefined : decodeBase58(write.signature)
  if (signature === undefined || signature.length !== ED25519_SIGNATURE_BYTES) {
    throw new InvalidRegistrySignatureError(`an ed25519 signature is base58 (bitcoin alphabet) of ${ED25519_SIGNATURE_BYTES} bytes.`)
  }
  let valid: boolean
  try {
    valid = ed25519.verify(signature, message, decodeBase58(signer) ?? new Uint8Array(), { zip215: false })
  } catch {
    valid = false
  }
  if (!valid) throw new InvalidRegistrySignatureError('it does not match the signed text of this write for this public_key.')
  return signer
}
