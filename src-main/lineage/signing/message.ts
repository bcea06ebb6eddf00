import { hash } from 'node:crypto'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { ADDRESS_PATTERN, SIGNING_HEADER } from './constants.js'
import { signatureScheme, validateUnsignedRequest } from './request.js'
import type { UnsignedTransactionRequest } from './request.js'

/**
 * The exact text a writer signs. One `name: value` line per field after the header, in a fixed
 * order, joined by "\n" with no trailing newline. Lower-cased: token_address, and public_key when
 * it is an EVM address (the protocol derives keys from lower-cased values, so every spelling of
 * one address means, and signs, the same thing); chain_id and token_id are canonical decimal, so
 * case cannot arise. `data` and `mcdata` appear as the lowercase hex
 * SHA-256 of their UTF-8 bytes: they may hold newlines and be 64 KiB long.
 *
 * @throws InvalidTransactionError if a field is missing, malformed or holds a control character
 */
export function signingMessage (request: UnsignedTransactionRequest): string {
  return messageOf(validateUnsignedRequest(request))
}

/** {@link signingMessage} of a request that has passed validation already. */
export function messageOf (r: UnsignedTransactionRequest): string {
  const lines: Array<[string, string]> = [
    ['method', r.method],
    ['chain_id', r.chain_id],
    ['token_address', r.token_address.toLowerCase()],
    ['token_id', r.token_id],
    ['meta_contract_id', r.meta_contract_id],
    ['alias', r.alias],
    ['version', r.version],
    ['public_key', canonicalPublicKey(r.public_key)],
    ['nonce', r.nonce],
    ['timestamp', String(r.timestamp)],
    ['data_sha256', sha256Hex(r.data)],
    ['mcdata_sha256', sha256Hex(r.mcdata)]
  ]
  return [SIGNING_HEADER, ...lines.map(([name, value]) => `${name}: ${value}`)].join('\n')
}

/** The UTF-8 bytes of {@link signingMessage}: what ed25519 signs, and what `personal_sign` wraps. */
export function signingBytes (request: UnsignedTransactionRequest): Uint8Array {
  return utf8ToBytes(signingMessage(request))
}

/**
 * The transaction's identity: lowercase hex SHA-256 of {@link signingBytes}. The signature is
 * left out on purpose. One signed intent has many valid signature encodings (v as 27/28 or 0/1,
 * hex case, a fresh ECDSA signature over the same text), and a hash that included them would let
 * a replay pass as a new transaction. Without it, the same fields and nonce always give the same
 * hash, so storing applied hashes (the transactions table's primary key) rejects every replay,
 * and a client knows the hash before it signs.
 */
export function transactionHash (request: UnsignedTransactionRequest): string {
  return hashOf(signingBytes(request))
}

/** A validated request with its signed bytes and hash, each computed once. */
export interface PreparedTransaction<R extends UnsignedTransactionRequest = UnsignedTransactionRequest> {
  request: R
  /** The request's public_key as the signed text names it. */
  publicKey: string
  message: Uint8Array
  hash: string
}

/**
 * Validates a request and builds its signed bytes and hash once, for a caller that needs all
 * three (signing and storing, or verifying and storing).
 *
 * @throws InvalidTransactionError naming the first field that fails
 */
export function prepareTransaction (raw: unknown): PreparedTransaction {
  return prepared(validateUnsignedRequest(raw))
}

/** {@link prepareTransaction} of a request that has passed validation already. */
export function prepared<R extends UnsignedTransactionRequest> (request: R): PreparedTransaction<R> {
  const message = utf8ToBytes(messageOf(request))
  return { request, publicKey: canonicalPublicKey(request.public_key), message, hash: hashOf(message) }
}

// OpenSSL's SHA-256: several times noble's speed on the few hundred bytes hashed per transaction.
// The one-shot `hash` builds no Hash object: three hashes per transaction, a few µs each saved.
function hashOf (message: Uint8Array): string {
  return hash('sha256', message, 'hex')
}

/**
 * How the signed text names a key, and the one form the node stores and looks keys up by: EVM
 * addresses lower-cased (every spelling of an address is one key), base58 as given (it is
 * case-sensitive).
 */
export function canonicalPublicKey (publicKey: string): string {
  return signatureScheme(publicKey) === 'eip191' ? publicKey.toLowerCase() : publicKey
}

/** An EVM address as a contract address or a key: 0x and 40 hex digits, any case. */
export function canonicalAddress (address: string): string {
  return ADDRESS_PATTERN.test(address) ? address.toLowerCase() : address
}

/**
 * An alias as slots store it: an alias that is its writer's own EVM address (in any case) is that
 * address in lower case, as the built-in contracts write it (erc721 gives every other signer the
 * alias of its own key); any other alias is text, case-sensitive, as given.
 */
export function canonicalAlias (alias: string, publicKey: string): string {
  return ADDRESS_PATTERN.test(alias) && alias.toLowerCase() === canonicalPublicKey(publicKey).toLowerCase() ? alias.toLowerCase() : alias
}

/** A slot's key (public_key, alias) in the form slots store it, for lookups. */
export function canonicalSlotKey<K extends { public_key: string, alias: string }> (key: K): K {
  return { ...key, public_key: canonicalPublicKey(key.public_key), alias: canonicalAlias(key.alias, key.public_key) }
}

function sha256Hex (text: string): string {
  // Validation has refused unpaired surrogates, so Node's UTF-8 encoding is the exact bytes.
  return hash('sha256', text, 'hex')
}
