import { ADDRESS_PATTERN, CHAIN_ID_PATTERN, MAX_TOKEN_ID, TOKEN_ID_PATTERN } from '../lineage/signing/index.js'
import { DEEP_LINK_SCHEME, MAX_DEEP_LINK_LENGTH } from './constants.js'
import { DeepLinkError } from './errors.js'

/** What a `lineage://token/<chainId>/<address>/<tokenId>` link names: one token of a collection. */
export interface TokenLink {
  kind: 'token'
  /** EIP-155 chain id, canonical decimal. */
  chainId: string
  /** The collection's contract address, lower-case 0x + 40 hex digits. */
  address: string
  /** The token id, canonical decimal uint256. */
  tokenId: string
}

const PREFIX = `${DEEP_LINK_SCHEME}://`
const MAX_CHAIN_ID = (1n << 64n) - 1n

/**
 * Parses a deep link strictly: the scheme (any case, as browsers may change it), then exactly
 * `token/<chainId>/<address>/<tokenId>` with an optional trailing slash (Windows browsers add one).
 * No query, fragment, user, port, percent-escapes, spaces or extra segments: anything else throws
 * DeepLinkError saying what is wrong, and nothing is opened.
 */
export function parseDeepLink (link: string): TokenLink {
  if (typeof link !== 'string') throw new DeepLinkError(String(link), 'it is not text')
  if (link.length > MAX_DEEP_LINK_LENGTH) throw new DeepLinkError(link, `it is longer than ${MAX_DEEP_LINK_LENGTH} characters`)
  if (link.slice(0, PREFIX.length).toLowerCase() !== PREFIX) throw new DeepLinkError(link, `it does not start with ${PREFIX}`)
  const rest = link.slice(PREFIX.length).replace(/\/$/, '')
  const bad = /[^0-9A-Za-z/]/.exec(rest)
  if (bad !== null) throw new DeepLinkError(link, `it contains "${bad[0]}", which a token link never has`)
  const [kind, chainId, address, tokenId, ...extra] = rest.split('/')
  if (kind !== 'token') throw new DeepLinkError(link, `"${kind ?? ''}" is not something Lineage opens (only token links)`)
  if (tokenId === undefined || extra.length > 0) throw new DeepLinkError(link, 'a token link has exactly three parts after token/')
  if (chainId === undefined || !CHAIN_ID_PATTERN.test(chainId) || BigInt(chainId) > MAX_CHAIN_ID) {
    throw new DeepLinkError(link, `"${chainId ?? ''}" is not a chain id (a decimal number such as 1 for Ethereum)`)
  }
  if (address === undefined || !ADDRESS_PATTERN.test(address)) throw new DeepLinkError(link, `"${address ?? ''}" is not a contract address (0x and 40 hex digits)`)
  if (!TOKEN_ID_PATTERN.test(tokenId) || BigInt(tokenId) > MAX_TOKEN_ID) throw new DeepLinkError(link, `"${tokenId}" is not a token id (a decimal number up to 2^256-1)`)
  return { kind: 'token', chainId, address: address.toLowerCase(), tokenId }
}

/**
 * The deep link on a command line, if any (Windows and Linux start the app, or a second instance,
 * with the link as an argument; Chromium switches may come before it).
 */
export function findDeepLink (argv: readonly string[]): string | undefined {
  return argv.find(arg => arg.slice(0, DEEP_LINK_SCHEME.length + 1).toLowerCase() === `${DEEP_LINK_SCHEME}:`)
}
