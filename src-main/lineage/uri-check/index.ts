/**
 * The check a marketplace does of a tokenURI: fetch it (an `ipfs://` one through a gateway) with
 * a time limit, a size cap and a bound on redirects, and say in plain words whether it would show
 * the token (HTTP 200, JSON, a name) and, if not, why. An outbound fetch only the node's owner
 * asks for (docs/SECURITY.md).
 *
 * @example
 * ```ts
 * const checker = createTokenUriChecker()
 * const { ok, status, name, problem } = await checker.check('ipfs://bafy…/42', { ipfsGateway: 'http://127.0.0.1:8080' })
 * ```
 */
export { createTokenUriChecker } from './check.js'
export type { TokenUriCheck, TokenUriChecker, TokenUriCheckerInit } from './check.js'
export { gatewayBase, reachableLocally, resolveTokenUri } from './resolve.js'
export * from './constants.js'
export * from './errors.js'
