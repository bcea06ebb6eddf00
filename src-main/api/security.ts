import { LOOPBACK_HOSTNAMES, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from './constants.js'

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
 * The web origins of the node's own UI in a browser: `http://` and the port the node serves, on
 * the name it is bound to and the loopback names of the same address family. Electron's window
 * talks over IPC, never over HTTP or WebSocket, so it needs none; the project has no dev server
 * whose origin would need adding.
 */
export function ownOrigins (boundHost: string, port: number): ReadonlySet<string> {
  const bound = boundHost.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  const names = new Set([bound.includes(':') ? `[${bound}]` : bound])
  if (bound === '127.0.0.1' || bound === '0.0.0.0' || bound === 'localhost') names.add('127.0.0.1').add('localhost')
  if (bound === '::1' || bound === '::' || bound === 'localhost') names.add('[::1]').add('localhost')
  // URL.origin drops the default port, as browsers do in the Origin they send.
  return new Set([...names].map(name => new URL(`http://${name}:${port}`).origin))
}

/**
 * Whether a request's Origin may use the API: exactly the node's own UI, or none at all
 * (non-browser clients send no Origin). Browsers do not apply CORS to WebSockets, so without this
 * any page (including another app's or a dev server's on localhost) could talk to the node.
 */
export function isAllowedOrigin (origin: string | undefined, own: ReadonlySet<string>): boolean {
  return origin === undefined || own.has(origin)
}

/**
 * The API token a WebSocket client offers as a subprotocol (`lineage.token.<token>`, next to
 * `lineage.jsonrpc`): a header, so it stays out of addresses, histories and access logs.
 */
export function tokenFromProtocols (header: string | undefined): string | undefined {
  for (const protocol of (header ?? '').split(',')) {
    const name = protocol.trim()
    if (name.startsWith(WS_TOKEN_PROTOCOL_PREFIX)) return name.slice(WS_TOKEN_PROTOCOL_PREFIX.length)
  }
  return undefined
}

/** The subprotocol the server answers with: only ever the public one, never the one holding the token. */
export function chooseProtocol (offered: ReadonlySet<string>): string | false {
  return offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false
}
