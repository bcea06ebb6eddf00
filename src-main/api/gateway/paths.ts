// Apart from the routes: the node's starting listener tells gateway paths without loading them.
import { parseTokenId } from './token-id.js'

/** Path prefixes the gateway serves; they skip the API's loopback Host check. */
export const GATEWAY_PREFIXES = ['/metadata/', '/ta/', '/tk/', '/ipfs/', '/ipns/'] as const

/** Whether a request target is the gateway's (the `some` is written out: this runs on every request). */
export function isGatewayPath (url: string): boolean {
  for (const prefix of GATEWAY_PREFIXES) if (url.startsWith(prefix)) return true
  return false
}

/** A tokenURI document's path, checked: by chain id and address (as written), or by token key. */
export type DocumentPath =
  | { chainId: string, address: string, tokenKey?: undefined, tokenId: string }
  | { chainId?: undefined, address?: undefined, tokenKey: string, tokenId: string }

const CHAIN_ID = /^[0-9]{1,20}$/
const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const TOKEN_KEY = /^[1-9A-HJ-NP-Za-km-z]{32,64}$/

/**
 * The document a path names exactly (`/metadata|/ta/<chain>/<address>/<id>`, `/tk/<key>/<id>`,
 * nothing escaped, no query), the token id canonical; undefined for anything else, which the
 * gateway's routes answer (their refusals say what is wrong).
 */
export function parseDocumentPath (path: string): DocumentPath | undefined {
  if (path.includes('%') || path.includes('?')) return undefined
  const parts = path.split('/')
  if ((parts[1] === 'metadata' || parts[1] === 'ta') && parts.length === 5) {
    const [, , chainId = '', address = '', tokenIdText = ''] = parts
    if (!CHAIN_ID.test(chainId) || !ADDRESS.test(address)) return undefined
    const tokenId = parseTokenId(tokenIdText)
    return tokenId === undefined ? undefined : { chainId, address, tokenId }
  }
  if (parts[1] === 'tk' && parts.length === 4) {
    const [, , tokenKey = '', tokenIdText = ''] = parts
    if (!TOKEN_KEY.test(tokenKey)) return undefined
    const tokenId = parseTokenId(tokenIdText)
    return tokenId === undefined ? undefined : { tokenKey, tokenId }
  }
  return undefined
}
