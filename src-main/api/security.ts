import { LOOPBACK_HOSTNAMES } from './constants.js'

/** Hostname part of a Host header (`127.0.0.1:5480` → `127.0.0.1`, `[::1]:80` → `[::1]`). */
export function hostnameOf (host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1)
  const colon = host.lastIndexOf(':')
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase()
}

/**
 * Whether a request's Host header names this node. Browsers send the name they resolved, so a
 * hostile page that rebinds its own DNS name to 127.0.0.1 is refused here.
 */
export function isAllowedHost (host: string | undefined, boundHost: string): boolean {
  if (host === undefined || host === '') return false
  const name = hostnameOf(host)
  return (LOOPBACK_HOSTNAMES as readonly string[]).includes(name) || name === boundHost.toLowerCase()
}

/**
 * Whether a browser Origin may use the WebSocket API. Browsers do not apply CORS to WebSockets,
 * so without this any web page could talk to the node. Non-browser clients send no Origin.
 */
export function isAllowedOrigin (origin: string | undefined, boundHost: string): boolean {
  if (origin === undefined) return true
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && isAllowedHost(url.host, boundHost)
}
