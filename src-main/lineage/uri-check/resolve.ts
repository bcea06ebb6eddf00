import { CID } from 'multiformats/cid'
import { MAX_CHECKED_URI_LENGTH } from './constants.js'
import { CheckedUriError } from './errors.js'

/**
 * The http(s) address a marketplace fetches for `uri`: itself when http(s), else
 * `ipfs://<cid>/<path>` (or `ipfs://ipfs/<cid>/…`) through `ipfsGateway`'s `/ipfs/` route.
 * Throws CheckedUriError on anything else.
 */
export function resolveTokenUri (uri: string, ipfsGateway: string): string {
  const text = uri.trim()
  if (text.length > MAX_CHECKED_URI_LENGTH) throw new CheckedUriError('uri', `is longer than ${MAX_CHECKED_URI_LENGTH} characters`)
  if (/^https?:\/\//i.test(text)) {
    if (!URL.canParse(text)) throw new CheckedUriError('uri', `"${text.slice(0, 80)}" is not a web address`)
    // The node's own public listener on every interface, as node_info names it.
    return reachableLocally(new URL(text).href)
  }
  const ipfs = /^ipfs:\/\/(?:ipfs\/)?([^/?#]+)(\/[^?#]*)?$/i.exec(text)
  if (ipfs === null) throw new CheckedUriError('uri', `must start with https://, http:// or ipfs://<CID>/, as a contract's tokenURI does; got "${text.slice(0, 80)}"`)
  const [, cid = '', path = ''] = ipfs
  try {
    CID.parse(cid)
  } catch {
    throw new CheckedUriError('uri', `"${cid.slice(0, 80)}" after ipfs:// is not a CID`)
  }
  return `${gatewayBase(ipfsGateway)}/ipfs/${cid}${path}`
}

/** A gateway's base without a trailing `/` or `/ipfs`; throws CheckedUriError unless http(s). */
export function gatewayBase (gateway: string): string {
  const text = gateway.trim()
  if (!/^https?:\/\//i.test(text) || !URL.canParse(text) || text.length > MAX_CHECKED_URI_LENGTH) {
    throw new CheckedUriError('ipfs_gateway', `must be an IPFS gateway's web address, such as https://ipfs.io; got "${text.slice(0, 80)}"`)
  }
  const url = new URL(text)
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/ipfs$/, '')}`
}

/**
 * Where this node reaches its own listener: a wildcard interface (0.0.0.0, ::) is not an address
 * to connect to, so its loopback stands in.
 */
export function reachableLocally (url: string): string {
  return url.replace(/^http:\/\/0\.0\.0\.0(?=[:/]|$)/, 'http://127.0.0.1').replace(/^http:\/\/\[::\](?=[:/]|$)/, 'http://[::1]')
}
