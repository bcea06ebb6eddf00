/**
 * How the HTTP server says no: every refusal, including those fastify and Node's HTTP parser
 * would otherwise write themselves (malformed URLs and requests, unknown routes, unsupported
 * methods, CONNECT), is a 4xx with a JSON `{ "error": "…" }` body that names what was wrong.
 */
import { STATUS_CODES, maxHeaderSize } from 'node:http'
import type { Server } from 'node:http'
import type { Duplex } from 'node:stream'
import Fastify from 'fastify'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { MAX_PATH_PARAM_CHARS, RPC_PATHS, UI_PREFIX, WS_PATH } from './constants.js'
import { isGatewayPath } from './gateway/index.js'
import { quoted } from './http-text.js'
import { publicText } from './public-text.js'

/** The path of a request target, without its query. */
export function pathOf (url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}

/** A JSON refusal, never cached; CORS-readable on gateway paths, as the gateway's own answers are. */
export function refuse (request: FastifyRequest, reply: FastifyReply, status: number, error: string): FastifyReply {
  if (isGatewayPath(request.url)) reply.header('access-control-allow-origin', '*')
  // Node hands an Upgrade request's socket over and never closes it: a refused one must be closed here.
  if ((request.raw as { upgrade?: boolean }).upgrade === true) {
    reply.header('connection', 'close').raw.once('finish', () => { request.raw.socket.destroy() })
  }
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ error })
}

/** A whole HTTP response for a socket no request object was made for (without the body for HEAD). */
export function rawRefusal (status: number, error: string, head = false): string {
  const body = JSON.stringify({ error })
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${head ? '' : body}`
}

/** What Node's parser refuses, by its error code; anything else gets the parser's own reason. */
const PARSE_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, `The request's URL and headers are larger than the ${maxHeaderSize} bytes this node reads.`],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time.'],
  HPE_INVALID_METHOD: [400, 'The request method is not one this node knows (it answers GET, HEAD, OPTIONS and POST).'],
  HPE_INVALID_URL: [400, 'The request target must be a path of printable ASCII; percent-encode any other byte.'],
  HPE_INVALID_HEADER_TOKEN: [400, 'A header name or value holds a character HTTP does not allow (a control character, or a space in a name).'],
  HPE_INVALID_VERSION: [400, 'Only HTTP/1.0 and HTTP/1.1 are spoken here.'],
}

/** fastify's `clientErrorHandler`: requests Node's HTTP parser could not read. */
export function onClientError (err: Error & { code?: string, reason?: string, rawPacket?: unknown }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  // llhttp's reason is a phrase about the request ("Invalid header value char"); its code is not for people.
  const [status, error] = PARSE_ERRORS[err.code ?? ''] ?? [400, `The request is not valid HTTP/1.1${err.reason === undefined ? '' : ` (${publicText(err.reason)})`}.`]
  // The bytes read so far tell whether it was a HEAD request, whose answer has no body.
  const head = Buffer.isBuffer(err.rawPacket) && err.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD '
  if (socket.writable) socket.write(rawRefusal(status, error, head))
  socket.destroy()
}

/** Node's `connect` event: without a listener it drops the socket with no answer at all. */
export function onConnect (_request: unknown, socket: Duplex): void {
  socket.on('error', () => { socket.destroy() })
  socket.end(rawRefusal(405, 'CONNECT is not answered: this node is not a proxy.'))
}

/** fastify's `frameworkErrors`: URLs its router refuses before any route sees them. */
export function onFrameworkError (err: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = pathOf(request.url)
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const longest = path.split('/').reduce((a, b) => (b.length > a.length ? b : a), '')
    return refuse(request, reply, 414, `The path part ${quoted(longest)} is longer than the ${MAX_PATH_PARAM_CHARS} characters any CID, address, token id or key can be.`)
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    return refuse(request, reply, 400, `The path ${quoted(path)} is not valid percent-encoding: each % must be followed by two hex digits, and the bytes must spell UTF-8 text.`)
  }
  return refuse(request, reply, 400, `The request for ${quoted(path)} could not be routed.`)
}

/** The methods a path answers, when it is one of the node's; undefined for unknown paths. */
function methodsAt (path: string): readonly string[] | undefined {
  if (RPC_PATHS.includes(path)) return ['POST']
  if (path === WS_PATH) return ['GET']
  if (isGatewayPath(path)) return ['GET', 'HEAD', 'OPTIONS']
  if (path === '/' || path === UI_PREFIX.slice(0, -1) || path.startsWith(UI_PREFIX)) return ['GET', 'HEAD']
  return undefined
}

/** fastify's not-found handler: 405 with Allow for a known path asked the wrong way, else 404. */
export function onNotFound (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = pathOf(request.url)
  const methods = methodsAt(path)
  if (methods !== undefined && !methods.includes(request.method)) {
    reply.header('allow', methods.join(', '))
    return refuse(request, reply, 405, `${request.method} is not answered at ${quoted(path)}; use ${methods.join(' or ')}.`)
  }
  if (path.startsWith(UI_PREFIX)) return refuse(request, reply, 404, `The UI has no file at ${quoted(path)}.`)
  return refuse(request, reply, 404, `Nothing is served at ${quoted(path)}. The node serves /metadata/…, /ta/…, /tk/…, /ipfs/…, /ipns/…, POST /rpc and the UI at ${UI_PREFIX}.`)
}

/**
 * A fastify app whose every refusal is one of the above: the API and the public gateway listener
 * are both built on it, differing only in the largest body they read.
 */
export function createRefusingApp (bodyLimit: number, server?: Server): FastifyInstance {
  const app = Fastify({
    // A socket already listening (the node's starting listener) is served instead of a new one.
    ...(server === undefined ? {} : { serverFactory: () => server }),
    logger: false,
    bodyLimit,
    return503OnClosing: true,
    // A stopping node must not wait on a browser's keep-alive connections.
    forceCloseConnections: true,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_CHARS },
    // Node answers an HTTP/1.1 request without Host with an empty 400; the server's hook says why.
    http: { requireHostHeader: false },
    clientErrorHandler: onClientError,
    frameworkErrors: onFrameworkError,
  })
  app.server.on('connect', onConnect)
  return app
}
