/** Largest HTTP request body the API reads (JSON-RPC and uploads alike). */
export const MAX_BODY_BYTES = 1024 * 1024
/** Largest JSON-RPC batch; bigger ones are refused whole rather than half-run. */
export const MAX_BATCH_SIZE = 100
/** Largest WebSocket message, same budget as an HTTP body. */
export const MAX_WS_MESSAGE_BYTES = MAX_BODY_BYTES
/** Hostnames the API answers to. Anything else is refused, which defeats DNS rebinding. */
export const LOOPBACK_HOSTNAMES = ['127.0.0.1', 'localhost', '[::1]'] as const
/** Where the built UI is served. */
export const UI_PREFIX = '/app/'
/** Content Security Policy for the UI, in the browser and in Electron alike. */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Notifications sent over the WebSocket, named lineage:<area>:<event>. */
export const EVENTS = {
  transactionApplied: 'lineage:transaction:applied',
  transactionRejected: 'lineage:transaction:rejected',
} as const
