/**
 * The public gateway listener (`lineage-node start --gateway-host`): a second HTTP server that
 * answers only the read-only gateway (`/metadata`, `/ta`, `/tk`, `/ipfs`, `/ipns`), to any Host, with a
 * rate limit per client. It has no JSON-RPC, WebSocket or UI route at all, so no spelling of a
 * path can reach them, and it reads no API token.
 */
import type { FastifyInstance } from 'fastify'
import { GATEWAY_PREFIXES, isGatewayPath, registerGateway } from './gateway/index.js'
import type { GatewayComponents, GatewayShare } from './gateway/index.js'
import { RATE_LIMIT_CLIENTS } from './gateway/constants.js'
import { RateLimiter } from './gateway/rate-limit.js'
import { printable, quoted } from './http-text.js'
import { createRefusingApp, pathOf, refuse } from './refusals.js'

export interface PublicGatewayOptions {
  gateway: GatewayComponents
  /** The API app's gateway, whose documents this listener serves. */
  share: GatewayShare
  /** Reads a second per client (0: no limit) and the burst allowed. */
  ratePerSecond: number
  rateBurst: number
  /** Reverse proxies whose X-Forwarded-For names the client. */
  trustedProxies: readonly string[]
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const SERVED = GATEWAY_PREFIXES.map(prefix => `${prefix}…`).join(', ')

export function buildPublicGatewayServer (options: PublicGatewayOptions): FastifyInstance {
  const { gateway, share } = options
  const limiter = new RateLimiter({ perSecond: options.ratePerSecond, burst: options.rateBurst, maxClients: RATE_LIMIT_CLIENTS, trustedProxies: options.trustedProxies })
  // Reads only: no route reads a body (the onRequest hook refuses every write first).
  const app = createRefusingApp(1)
  app.removeAllContentTypeParsers()

  app.addHook('onRequest', (request, reply, done) => {
    const wait = limiter.take(limiter.clientOf(request.socket.remoteAddress, request.headers['x-forwarded-for']))
    if (wait > 0) {
      // Exposed, so a marketplace's page can read how long to wait too.
      void refuse(request, reply.header('retry-after', String(wait)).header('access-control-expose-headers', 'Retry-After'), 429, `Too many requests from your address; try again in ${wait} s.`)
      return
    }
    const path = pathOf(request.url)
    // Nothing here takes an Upgrade (WebSocket) request: it is answered, and its connection closed.
    if (request.headers.upgrade !== undefined) {
      reply.header('connection', 'close').raw.once('finish', () => { request.raw.socket.destroy() })
      void refuse(request, reply, 404, `Nothing is served at ${quoted(path)} by WebSocket: this is a public, read-only gateway: ${SERVED}.`)
      return
    }
    if (!isGatewayPath(path)) {
      void refuse(request, reply, 404, `Nothing is served at ${quoted(path)}. This is a public, read-only gateway: ${SERVED}.`)
      return
    }
    if (!READ_METHODS.has(request.method)) {
      void refuse(request, reply.header('allow', 'GET, HEAD, OPTIONS'), 405, `${printable(request.method)} is not answered here: the public gateway is read-only (GET, HEAD, OPTIONS).`)
      return
    }
    done()
  })
  app.setNotFoundHandler((request, reply) => refuse(request, reply, 404, `Nothing is served at ${quoted(pathOf(request.url))}. This is a public, read-only gateway: ${SERVED}.`))
  app.setErrorHandler((err: { name?: string, statusCode?: number, message: string }, request, reply) => {
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return refuse(request, reply, err.statusCode, 'The request could not be read.')
    // As on the API listener: a read caught while the node stops is not the client's fault.
    if (err.name === 'StoreNotOpenError') return refuse(request, reply, 503, 'The node is stopping; try again once it runs.')
    gateway.log.error('public gateway %s %s failed: %s', request.method, printable(request.url), printable(err.message))
    return refuse(request, reply, 500, 'Internal error; details are in the node log.')
  })

  registerGateway(app, gateway, share)
  return app
}
