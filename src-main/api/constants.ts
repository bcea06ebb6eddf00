/** Largest HTTP request body the API reads (JSON-RPC and uploads alike). */
export const MAX_BODY_BYTES = 1024 * 1024
/**
 * Characters of JSON-RPC read answers kept in memory (about as many bytes: they are JSON text)
 * while the store is unchanged: 16 MiB holds get_metadata of every slot of a 10,000-token
 * collection, or a third of its get_token answers.
 */
export const RPC_READ_CACHE_CHARS = 16 * 1024 * 1024
/** Longest params (as JSON) of a read kept in that cache; a read's are a few keys and ids. */
export const MAX_READ_KEY_CHARS = 2048
/** Largest JSON-RPC batch; bigger ones are refused whole rather than half-run. */
export const MAX_BATCH_SIZE = 100
/** Largest WebSocket message, same budget as an HTTP body. */
export const MAX_WS_MESSAGE_BYTES = MAX_BODY_BYTES
/**
 * Longest single path segment the router matches (a CID, chain id, address, token id or key).
 * fastify's default of 100 is shorter than a sha2-512 CID (113 characters in base32); the
 * longest id a route takes is 78 digits. A longer segment gets 414 naming it.
 */
export const MAX_PATH_PARAM_CHARS = 256
/** Most characters of client text an error message repeats (the rest is cut, with its length). */
export const MAX_QUOTED_CHARS = 100
/** Hostnames the API answers to. Anything else is refused, which defeats DNS rebinding. */
export const LOOPBACK_HOSTNAMES = ['127.0.0.1', 'localhost', '[::1]'] as const
/** Where the built UI is served. */
export const UI_PREFIX = '/app/'
/** JSON-RPC over HTTP POST (the second is the original gateway's path). */
export const RPC_PATHS: readonly string[] = ['/rpc', '/api/v0/json-rpc']
/** JSON-RPC over WebSocket. */
export const WS_PATH = '/rpc/ws'
/** The WebSocket subprotocol the node speaks; a client that offers protocols must offer this one. */
export const WS_PROTOCOL = 'lineage.jsonrpc'
/**
 * A client proves it holds the API token by also offering the subprotocol `lineage.token.<token>`
 * (a header, never the address: addresses end up in histories and logs). The server never
 * echoes it back.
 */
export const WS_TOKEN_PROTOCOL_PREFIX = 'lineage.token.'
/**
 * Content Security Policy for the UI, in the browser and in Electron alike. Images come from the
 * node itself (its /ipfs path, or blob: URLs of its blocks in Electron); `imageOrigin` adds the one
 * IPFS gateway the creator allowed in Settings (lineage/browse image-gateway.ts), only while it is set.
 */
export function uiContentSecurityPolicy (imageOrigin?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${imageOrigin === undefined ? '' : ` ${imageOrigin}`}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
/** The policy with no image gateway: nothing is loaded from anywhere but the node. */
export const UI_CONTENT_SECURITY_POLICY = uiContentSecurityPolicy()

/** Notifications sent over the WebSocket, named lineage:<area>:<event>. Which need the token: PUBLIC_EVENTS. */
export const EVENTS = {
  transactionApplied: 'lineage:transaction:applied',
  transactionRejected: 'lineage:transaction:rejected',
  // The importer's own event names (lineage/import IMPORT_PROGRESS_EVENT, IMPORT_DONE_EVENT).
  importProgress: 'lineage:import:progress',
  importDone: 'lineage:import:done',
  importFailed: 'lineage:import:failed',
  exportProgress: 'lineage:export:progress',
  exportDone: 'lineage:export:done',
  exportFailed: 'lineage:export:failed',
  pinProgress: 'lineage:pin:progress',
  pinDone: 'lineage:pin:done',
  pinFailed: 'lineage:pin:failed',
  gcProgress: 'lineage:gc:progress',
  gcDone: 'lineage:gc:done',
  gcFailed: 'lineage:gc:failed',
  snapshotProgress: 'lineage:snapshot:progress',
  snapshotDone: 'lineage:snapshot:done',
  snapshotFailed: 'lineage:snapshot:failed',
} as const

/**
 * The notifications every socket hears, token or not (docs/SECURITY.md says why). Every other
 * one names jobs, files, paths, peers or rejected writes, and goes only to sockets that offered
 * the API token.
 */
export const PUBLIC_EVENTS: ReadonlySet<string> = new Set([EVENTS.transactionApplied])

/**
 * Progress notifications of one pin, GC or export run are sent at most this often (the last one
 * always, before its done event): export reports every block, which would flood a socket.
 * Imports throttle their own events at the same pace (lineage/import PROGRESS_INTERVAL_MS).
 */
export const JOB_PROGRESS_INTERVAL_MS = 250
