import { Buffer } from 'node:buffer'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import {
  ADDRESS_PATTERN, canonicalPublicKey, decodeBase58, ED25519_PUBLIC_KEY_BYTES, ED25519_PUBLIC_KEY_MAX_BASE58, encodeBase58, FORBIDDEN_CHARACTER,
  MAX_META_CONTRACT_ID_BYTES, MAX_SIGNATURE_LENGTH, NONCE_PATTERN, signatureScheme, toChecksumAddress,
} from '../signing/index.js'
import { MAX_REGISTRY_NAME_BYTES, REGISTRY_FIELDS, REGISTRY_ID_PATTERN, REGISTRY_SIGNING_HEADER } from './constants.js'
import { InvalidRegistryRequestError } from './errors.js'

/** What an entry's writer signs. */
export interface UnsignedRegistryWrite {
  registry_id: string
  registry_name: string
  meta_contract_id: string
  /** 0x address (EVM wallet, EIP-191) or base58 of a 32-byte ed25519 key. */
  public_key: string
  nonce: string
}

export interface RegistryWrite extends UnsignedRegistryWrite {
  signature: string
}

const ALL_FIELDS = new Set<string>([...REGISTRY_FIELDS, 'signature'])

/**
 * The exact text a registry writer signs: the header, then one `name: value` line per field in
 * REGISTRY_FIELDS order, joined by "\n" with no trailing newline. An EVM public_key is
 * lower-cased, as in transactions, so every spelling of an address signs the same text.
 */
export function registryMessage (write: UnsignedRegistryWrite): string {
  const lines = REGISTRY_FIELDS.map(field => `${field}: ${field === 'public_key' ? canonicalPublicKey(write.public_key) : write[field]}`)
  return [REGISTRY_SIGNING_HEADER, ...lines].join('\n')
}

/** A write's identity: lowercase hex SHA-256 of its signed text (the signature left out, as for transactions). */
export function registryWriteHash (write: UnsignedRegistryWrite): string {
  return bytesToHex(sha256(utf8ToBytes(registryMessage(write))))
}

/**
 * Checks a submitted registry write: every field present, a string, within its limit and in its
 * format; unknown fields are refused. Returns a new object holding only the known fields.
 *
 * @throws InvalidRegistryRequestError naming the first field that fails
 */
export function validateRegistryWrite (raw: unknown): RegistryWrite {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidRegistryRequestError('request', `must be an object with the fields ${[...ALL_FIELDS].join(', ')}.`)
  }
  const record = raw as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (!ALL_FIELDS.has(key)) throw new InvalidRegistryRequestError(key, 'is not a registry write field (unknown fields are refused so that a misspelt field is not silently ignored).')
  }
  const registryId = stringField(record, 'registry_id')
  if (!REGISTRY_ID_PATTERN.test(registryId)) throw new InvalidRegistryRequestError('registry_id', 'must be 1 to 64 characters of 0-9, a-z, A-Z, ".", "_", ":" and "-" (e.g. "0x01").')
  const metaContractId = textField(record, 'meta_contract_id', MAX_META_CONTRACT_ID_BYTES)
  if (metaContractId === '') throw new InvalidRegistryRequestError('meta_contract_id', 'is empty.')
  const nonce = stringField(record, 'nonce')
  if (!NONCE_PATTERN.test(nonce)) throw new InvalidRegistryRequestError('nonce', 'must be 16 to 128 characters of 0-9, a-z, A-Z, "_" and "-".')
  const signature = stringField(record, 'signature')
  if (signature === '' || signature.length > MAX_SIGNATURE_LENGTH) throw new InvalidRegistryRequestError('signature', `must be 1 to ${MAX_SIGNATURE_LENGTH} characters.`)
  return {
    registry_id: registryId,
    registry_name: textField(record, 'registry_name', MAX_REGISTRY_NAME_BYTES),
    meta_contract_id: metaContractId,
    public_key: publicKeyField(record),
    nonce,
    signature,
  }
}

function stringField (record: Record<string, unknown>, field: string): string {
  const value = record[field]
  if (value === undefined) throw new InvalidRegistryRequestError(field, 'is missing.')
  if (typeof value !== 'string') throw new InvalidRegistryRequestError(field, `must be a string; got ${value === null ? 'null' : typeof value}.`)
  return value
}

/** A value written verbatim into the signed text: bounded, and one line of visible characters. */
function textField (record: Record<string, unknown>, field: string, maxBytes: number): string {
  const value = stringField(record, field)
  const bad = FORBIDDEN_CHARACTER.exec(value)
  if (bad !== null) throw new InvalidRegistryRequestError(field, `contains a control or invisible character at position ${bad.index}; it would make the signed text ambiguous.`)
  const bytes = Buffer.byteLength(value, 'utf8')
  if (bytes > maxBytes) throw new InvalidRegistryRequestError(field, `is ${bytes} bytes long (UTF-8); the limit is ${maxBytes}.`)
  return value
}

function publicKeyField (record: Record<string, unknown>): string {
  const value = stringField(record, 'public_key')
  if (signatureScheme(value) === 'eip191') {
    if (!ADDRESS_PATTERN.test(value)) throw new InvalidRegistryRequestError('public_key', 'must be 0x followed by 40 hex digits.')
    const hex = value.slice(2)
    // EIP-55: mixed case is a checksum and must match; all-lower and all-upper carry none.
    if (hex !== hex.toLowerCase() && hex !== hex.toUpperCase() && toChecksumAddress(value) !== value) {
      throw new InvalidRegistryRequestError('public_key', `has mixed case that is not its EIP-55 checksum (${value}); check the address, or write it all lower-case.`)
    }
    return value
  }
  const bytes = value.length > ED25519_PUBLIC_KEY_MAX_BASE58 ? undefined : decodeBase58(value)
  if (bytes === undefined || bytes.length !== ED25519_PUBLIC_KEY_BYTES || encodeBase58(bytes) !== value) {
    throw new InvalidRegistryRequestError('public_key', `must be a 0x EVM address or the base58 encoding of a ${ED25519_PUBLIC_KEY_BYTES}-byte ed25519 key.`)
  }
  return value
}
