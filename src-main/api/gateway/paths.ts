// Apart from the routes: the node's starting listener tells gateway paths without loading them.

/** Path prefixes the gateway serves; they skip the API's loopback Host check. */
export const GATEWAY_PREFIXES = ['/metadata/', '/ta/', '/tk/', '/ipfs/', '/ipns/'] as const

/** Whether a request target is the gateway's (the `some` is written out: this runs on every request). */
export function isGatewayPath (url: string): boolean {
  for (const prefix of GATEWAY_PREFIXES) if (url.startsWith(prefix)) return true
  return false
}
