import { Buffer } from 'node:buffer'
import {
  ADDRESS_PATTERN, CHAIN_ID_PATTERN, ED25519_PUBLIC_KEY_MAX_BASE58, FORBIDDEN_CHARACTER, MAX_ALIAS_BYTES, MAX_DATA_BYTES,
  MAX_MCDATA_BYTES, MAX_META_CONTRACT_ID_BYTES, MAX_SIGNATURE_LENGTH, MAX_TIMESTAMP_MS, MAX_TOKEN_ID, MAX_VERSION_BYTES, MIN_TIMESTAMP_MS, NONCE_PATTERN,
  TOKEN_ID_PATTERN, TRANSACTION_METHODS
} from './constants.js'
import { ed25519PublicKeyBytes } from './ed25519.js'
import { hasValidChecksum } from './encoding.js'
import { InvalidTransactionError } from './errors.js'
import type { TransactionMethod, TransactionRequest, UnsignedTransactionRequest } from './transaction-request.js'

export type { TransactionRequest, UnsignedTransactionRequest } from './transaction-request.js'

/** How a public_key signs: an EVM wallet's `personal_sign`, or a plain ed25519 signature. */
export type SignatureScheme = 'ed25519' | 'eip191'

/** Field order of the signed text, which is also the order of checks. */
export const UNSIGNED_FIELDS = [
  'method', 'chain_id', 'token_address', 'token_id', 'meta_contract_id', 'alias', 'version', 'public_key', 'nonce', 'timestamp', 'data', 'mcdata'
] as const

const ALL_FIELDS = new Set<string>([...UNSIGNED_FIELDS, 'signature'])

/** The scheme a public_key implies: base58 never contains '0', so "0x" is unambiguous. */
export function signatureScheme (publicKey: string): SignatureScheme {
  return publicKey.startsWith('0x') ? 'eip191' : 'ed25519'
}

/**
 * Checks a submitted request (JSON-RPC input): every field present, a string, within its limit
 * and in its format. Returns a new object holding only the known fields.
 *
 * @throws InvalidTransactionError naming the first field that fails
 */
export function validateTransactionRequest (raw: unknown): TransactionRequest {
  const record = asRecord(raw)
  const unsigned = checkUnsigned(record)
  const signature = stringField(record, 'signature')
  if (signature.length === 0) throw new InvalidTransactionError('signature', 'is empty.')
  if (signature.length > MAX_SIGNATURE_LENGTH) throw new InvalidTransactionError('signature', `is ${signature.length} characters long; the limit is ${MAX_SIGNATURE_LENGTH}.`)
  return { ...unsigned, signature }
}

/**
 * The same checks without `signature` (which may be present and is then ignored): what must
 * hold before a request can be turned into signed text.
 *
 * @throws InvalidTransactionError naming the first field that fails
 */
export function validateUnsignedRequest (raw: unknown): UnsignedTransactionRequest {
  return checkUnsigned(asRecord(raw))
}

function asRecord (raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidTransactionError('request', `must be an object with the fields ${[...ALL_FIELDS].join(', ')}.`)
  }
  for (const key of Object.keys(raw)) {
    if (!ALL_FIELDS.has(key)) throw new InvalidTransactionError(key, 'is not a transaction field (unknown fields are refused so that a misspelt field is not silently ignored).')
  }
  return raw as Record<string, unknown>
}

function checkUnsigned (record: Record<string, unknown>): UnsignedTransactionRequest {
  const method = stringField(record, 'method')
  rejectForbidden('method', method)
  if (!(TRANSACTION_METHODS as readonly string[]).includes(method)) {
    throw new InvalidTransactionError('method', `must be one of ${TRANSACTION_METHODS.join(', ')}; got "${printable(method)}".`)
  }
  const chainId = patternField(record, 'chain_id', CHAIN_ID_PATTERN, 'must be a decimal chain id without leading zeros (e.g. "1")')
  const tokenAddress = addressField(record, 'token_address')
  const tokenId = tokenIdField(record, method as TransactionMethod)
  const metaContractId = textField(record, 'meta_contract_id', MAX_META_CONTRACT_ID_BYTES)
  if (metaContractId === '') throw new InvalidTransactionError('meta_contract_id', 'is empty.')
  const alias = textField(record, 'alias', MAX_ALIAS_BYTES)
  const version = textField(record, 'version', MAX_VERSION_BYTES)
  const publicKey = publicKeyField(record)
  const nonce = patternField(record, 'nonce', NONCE_PATTERN, 'must be 16 to 128 characters of 0-9, a-z, A-Z, "_" and "-"')
  const timestamp = timestampField(record)
  const data = payloadField(record, 'data', MAX_DATA_BYTES)
  const mcdata = payloadField(record, 'mcdata', MAX_MCDATA_BYTES)
  return {
    method: method as TransactionMethod,
    chain_id: chainId,
    token_address: tokenAddress,
    token_id: tokenId,
    meta_contract_id: metaContractId,
    alias,
    version,
    public_key: publicKey,
    nonce,
    timestamp,
    data,
    mcdata
  }
}

function stringField (record: Record<string, unknown>, field: string): string {
  const value = record[field]
  if (value === undefined) throw new InvalidTransactionError(field, 'is missing.')
  if (typeof value !== 'string') throw new InvalidTransactionError(field, `must be a string; got ${value === null ? 'null' : typeof value}.`)
  return value
}

/** A value that appears verbatim in the signed text. */
function textField (record: Record<string, unknown>, field: string, maxBytes: number): string {
  const value = stringField(record, field)
  rejectForbidden(field, value)
  const bytes = Buffer.byteLength(value, 'utf8')
  if (bytes > maxBytes) throw new InvalidTransactionError(field, `is ${bytes} bytes long (UTF-8); the limit is ${maxBytes}.`)
  return value
}

/** A value that is signed through its SHA-256, so any character is allowed, but the UTF-8 bytes must be unique. */
function payloadField (record: Record<string, unknown>, field: string, maxBytes: number): string {
  const value = stringField(record, field)
  const bytes = Buffer.byteLength(value, 'utf8')
  if (bytes > maxBytes) throw new InvalidTransactionError(field, `is ${bytes} bytes long (UTF-8); the limit is ${maxBytes}.`)
  const surrogate = /\p{Cs}/u.exec(value)
  if (surrogate !== null) throw new InvalidTransactionError(field, `contains an unpaired UTF-16 surrogate at position ${surrogate.index}; it has no UTF-8 encoding.`)
  return value
}

function rejectForbidden (field: string, value: string): void {
  const bad = FORBIDDEN_CHARACTER.exec(value)
  if (bad !== null) {
    throw new InvalidTransactionError(field, `contains ${describeCharacter(bad[0])} at position ${bad.index}; control and invisible characters would make the signed text ambiguous.`)
  }
}

/** A value with a fixed format; the pattern also bounds its length. */
function patternField (record: Record<string, unknown>, field: string, pattern: RegExp, rule: string): string {
  const value = stringField(record, field)
  rejectForbidden(field, value)
  if (!pattern.test(value)) throw new InvalidTransactionError(field, `${rule}; got "${printable(value)}".`)
  return value
}

function addressField (record: Record<string, unknown>, field: string): string {
  const value = patternField(record, field, ADDRESS_PATTERN, 'must be 0x followed by 40 hex digits')
  if (!hasValidChecksum(value)) throw new InvalidTransactionError(field, `has mixed case that is not its EIP-55 checksum (${value}); check the address, or write it all lower-case.`)
  return value
}

function tokenIdField (record: Record<string, unknown>, method: TransactionMethod): string {
  const value = stringField(record, 'token_id')
  if (value === '' && method === 'contract') return value
  patternField(record, 'token_id', TOKEN_ID_PATTERN, `must be a decimal uint256 without leading zeros${method === 'contract' ? ', or "" for the whole collection' : ''}`)
  if (BigInt(value) > MAX_TOKEN_ID) throw new InvalidTransactionError('token_id', 'is larger than the largest uint256.')
  return value
}

function publicKeyField (record: Record<string, unknown>): string {
  const value = stringField(record, 'public_key')
  if (signatureScheme(value) === 'eip191') return addressField(record, 'public_key')
  rejectForbidden('public_key', value)
  if (value.length > ED25519_PUBLIC_KEY_MAX_BASE58 || ed25519PublicKeyBytes(value) === undefined) {
    throw new InvalidTransactionError('public_key', `must be a 0x EVM address or the base58 encoding of a 32-byte ed25519 key; got "${printable(value)}".`)
  }
  return value
}

function timestampField (record: Record<string, unknown>): number {
  const value = record.timestamp
  if (value === undefined) throw new InvalidTransactionError('timestamp', 'is missing (milliseconds since 1970-01-01 UTC when the request was signed, e.g. Date.now()).')
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidTransactionError('timestamp', `must be an integer number of milliseconds since 1970-01-01 UTC; got ${value === null ? 'null' : typeof value === 'number' ? String(value) : typeof value}.`)
  }
  if (value < MIN_TIMESTAMP_MS || value > MAX_TIMESTAMP_MS) {
    throw new InvalidTransactionError('timestamp', `must be between ${new Date(MIN_TIMESTAMP_MS).toISOString()} and ${new Date(MAX_TIMESTAMP_MS).toISOString()}; got ${value}.`)
  }
  return value
}

function describeCharacter (char: string): string {
  const code = char.codePointAt(0) ?? 0
  return `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

/** Echoes a bad value without letting it break the error line or flood a log. */
function printable (value: string): string {
  const clean = value.replace(new RegExp(FORBIDDEN_CHARACTER.source, 'gu'), '?')
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean
}
