import { keccak_256 } from '@noble/hashes/sha3.js'
import { MAX_CHAIN_ID, MAX_CONFIRMATIONS, MAX_ENDPOINT_LENGTH, MAX_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS, TOKEN_TYPES } from './constants.js'
import type { TokenType } from './constants.js'
import { InvalidChainInputError } from './errors.js'

/** A chain id as the API and CLI take it: a number or a decimal string, positive. */
export function checkChainId (value: unknown, field = 'chain_id'): number {
  const n = typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > MAX_CHAIN_ID) throw new InvalidChainInputError(field, 'must be a positive whole number, e.g. 1 for Ethereum or 8453 for Base')
  return n
}

/**
 * An endpoint URL: http(s) for `http_url`, ws(s) for `ws_url`. Only the node's owner sets one
 * (the API takes it only with its token), so it may name a host on the owner's own network.
 * Fragments are refused (never sent, so surely a mistake); a user name or key in the path or
 * query is kept, as providers put API keys there.
 */
export function checkEndpointUrl (value: unknown, field: 'http_url' | 'ws_url'): string {
  const example = field === 'http_url' ? 'https://eth.example.com/v1/KEY' : 'wss://eth.example.com/ws/KEY'
  if (typeof value !== 'string' || value.length === 0) throw new InvalidChainInputError(field, `must be a URL, e.g. ${example}`)
  if (value.length > MAX_ENDPOINT_LENGTH) throw new InvalidChainInputError(field, `is longer than ${MAX_ENDPOINT_LENGTH} characters`)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidChainInputError(field, `is not a URL ("${value.slice(0, 80)}"); expected e.g. ${example}`)
  }
  const allowed = field === 'http_url' ? ['http:', 'https:'] : ['ws:', 'wss:']
  if (!allowed.includes(url.protocol)) throw new InvalidChainInputError(field, `must be a URL starting with ${allowed.map(p => `${p.slice(0, -1)}://`).join(' or ')}, not ${url.protocol}`)
  if (url.hash !== '') throw new InvalidChainInputError(field, 'must not have a fragment (#…)')
  return url.toString()
}

export function checkConfirmations (value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_CONFIRMATIONS) throw new InvalidChainInputError('confirmations', `must be a whole number from 0 to ${MAX_CONFIRMATIONS}`)
  return value
}

export function checkPollInterval (value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MIN_POLL_INTERVAL_MS || value > MAX_POLL_INTERVAL_MS) {
    throw new InvalidChainInputError('poll_interval_ms', `must be a whole number of milliseconds from ${MIN_POLL_INTERVAL_MS} to ${MAX_POLL_INTERVAL_MS}`)
  }
  return value
}

/** A contract address in lower case (checksummed input is checked; all-lower or all-upper is taken as is). */
export function checkAddress (value: unknown, field = 'address'): string {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) throw new InvalidChainInputError(field, 'must be a contract address: 0x and 40 hex digits')
  const lower = value.toLowerCase()
  if (!matchesChecksum(value)) throw new InvalidChainInputError(field, 'has a wrong checksum (mixed case that does not match EIP-55); check it, or give it in lower case')
  return lower
}

/**
 * EIP-55: an address in mixed case spells its checksum, each letter upper case where the
 * keccak-256 of the lower-case hex has a nibble of 8 or more; all lower or all upper case carries none.
 */
function matchesChecksum (address: string): boolean {
  const hex = address.slice(2)
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true
  const hash = keccak_256(new TextEncoder().encode(hex.toLowerCase()))
  for (let i = 0; i < hex.length; i++) {
    const char = hex[i] ?? ''
    if (char.toLowerCase() === char.toUpperCase()) continue
    const nibble = ((hash[i >> 1] ?? 0) >> (i % 2 === 0 ? 4 : 0)) & 0x0f
    if ((char === char.toUpperCase()) !== (nibble >= 8)) return false
  }
  return true
}

export function checkTokenType (value: unknown): TokenType {
  if (value === undefined) return 'erc721'
  if (typeof value !== 'string' || !(TOKEN_TYPES as readonly string[]).includes(value)) throw new InvalidChainInputError('token_type', `must be one of ${TOKEN_TYPES.join(', ')}`)
  return value as TokenType
}

export function checkBlock (value: unknown, field = 'start_block'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new InvalidChainInputError(field, 'must be a block number (a whole number, 0 or more)')
  return value
}

/** A token id (uint256) in canonical decimal. */
export function checkTokenId (value: unknown, field = 'token_id'): string {
  if (typeof value === 'string' && /^[0-9]{1,78}$/.test(value)) {
    const id = BigInt(value)
    if (id < 2n ** 256n) return id.toString()
  }
  throw new InvalidChainInputError(field, 'must be a uint256 in decimal digits')
}
