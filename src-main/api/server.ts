import { timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import type { Server } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fastifyStatic from '@fastify/static'
import fastifyWebsocket from '@fastify/websocket'
import type { Logger } from '@libp2p/logger'
import { MAX_BODY_BYTES, MAX_WS_MESSAGE_BYTES, PUBLIC_EVENTS, RPC_PATHS, uiContentSecurityPolicy, UI_PREFIX, WS_PATH, WS_TOKEN_PROTOCOL_PREFIX } from './constants.js'
import type { Outcome } from '../lineage/engine/index.js'
import { EVENTS } from './constants.js'
import { RPC_ERROR_CODES } from './errors.js'
import { isGatewayPath, registerGateway } from './gateway/index.js'
import type { GatewayComponents, GatewayShare } from './gateway/index.js'
import type { JobEvents, JobNotification } from './events.js'
import { printable, quoted } from './http-text.js'
import { publicText } from './public-text.js'
import { createRefusingApp, onNotFound, pathOf, refuse } from './refusals.js'
import type { Dispatcher } from './rpc/index.js'
import { chooseProtocol, isAllowedHost, isAllowedOrigin, ownOrigins, tokenFromProtocols } from './security.js'
import { createUploads, MAX_UPLOAD_FILE_BYTES, registerUploadRoutes } from './uploads/index.js'
import { registerDownloadRoutes } from './downloads/index.js'
import type { Exporter } from '../lineage/export/index.js'
import type { JobHistory } from '../lineage/job-history/index.js'

export interface HttpServerOptions {
  host: string
  dispatcher: Dispatcher
  uiDir: string
  log: Logger
  gateway: GatewayComponents
  /** Job progress, forwarded to every socket. */
  events: JobEvents
  token: string
  /** Origins trusted as the UI's besides the node's own (the project's dev server only). */
  devUiOrigins: readonly string[]
  /** A socket already listening that the app serves (it does not listen itself then). */
  server?: Server
  /** The IPFS gateway origin the creator allowed images from, named in the UI's CSP; undefined: none. */
  imageGateway?: () => string | undefined
  /** Where browser uploads go (`<data-dir>/uploads`); no upload endpoints when absent. */
  uploadsDir?: string
  /** What browser downloads export (a collection's CAR); no download endpoints when absent. */
  downloads?: Pick<Exporter, 'open'>
  /** Where finished browser downloads are kept with the other exports. */
  jobHistory?: Pick<JobHistory, 'recordExport'>
}

/** What `ws` accepts as a handshake key: 16 bytes in base64. */
const WS_KEY = /^[+/0-9A-Za-z]{22}==$/

function rpcError (reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ jsonrpc: '2.0', id: null, error: { code, message } })
}

/**
 * Builds the HTTP app: JSON-RPC over POST and WebSocket, the gateway and the built UI. Does not
 * listen. `share` is what a public gateway listener reuses of this app's gateway.
 */
export async function buildHttpServer (options: HttpServerOptions): Promise<{ app: FastifyInstance, share: GatewayShare }> {
  const { host, dispatcher, uiDir, log, gateway, events, token, devUiOrigins, server } = options
  const expected = Buffer.from(token)
  // Constant time, so the token cannot be guessed a character at a time from response timings.
  const holdsToken = (presented: string | undefined): boolean => {
    if (presented === undefined) return false
    const given = Buffer.from(presented)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
  const app = createRefusingApp(MAX_BODY_BYTES, server)
  app.setNotFoundHandler(onNotFound)
  // Known once listening: the origin a browser shows for the UI this server serves.
  let own: ReadonlySet<string> | undefined
  const fromOwnUi = (origin: string | undefined): boolean => {
    if (own === undefined) {
      const address = app.server.address()
      if (typeof address !== 'object' || address === null) return origin === undefined
      own = new Set([...ownOrigins(host, address.port), ...devUiOrigins])
    }
    return isAllowedOrigin(origin, own)
  }

  // Keep the raw text: a malformed body must become a JSON-RPC parse error, not an HTTP 400.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => { done(null, body) })

  // A callback hook, not an async one: it runs on every request, gateway reads included.
  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      void refuse(request, reply, 400, 'An HTTP/1.1 request must name the host it is for in a Host header.')
      return
    }
    if ((request.raw as { upgrade?: boolean }).upgrade === true && pathOf(request.url) !== WS_PATH) {
      void refuse(request, reply, 400, `Only ${WS_PATH} takes WebSocket (Upgrade) connections.`)
      return
    }
    // The gateway is public, read-only content that marketplaces may reach through a server's
    // own hostname; the Host check protects the API and UI, which are for this machine only.
    if (isGatewayRead(request.method, request.url) || isAllowedHost(request.headers.host, host)) {
      done()
      return
    }
    void refuse(request, reply, 403, 'This Lineage node only answers requests addressed to 127.0.0.1 or localhost.')
  })

  app.setErrorHandler((err: { name?: string, code?: string, statusCode?: number, message: string }, request, reply) => {
    // A body sent where no route is (PUT /rpc, say) fails its parsing before the 404 is made.
    if (request.is404) return onNotFound(request, reply)
    const path = pathOf(request.url)
    const isRpc = RPC_PATHS.includes(path)
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return isRpc
        ? rpcError(reply, 413, RPC_ERROR_CODES.InvalidRequest, `Invalid request: the body is larger than the ${MAX_BODY_BYTES} bytes the node accepts`)
        : refuse(request, reply, 413, `The body is larger than the ${MAX_BODY_BYTES} bytes the node accepts.`)
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return isRpc
        ? rpcError(reply, 415, RPC_ERROR_CODES.InvalidRequest, 'Invalid request: send JSON-RPC with Content-Type: application/json')
        : refuse(request, reply, 415, 'Unsupported Content-Type.')
    }
    // The database closes as the node stops; a read caught in between is not the client's fault.
    if (err.name === 'StoreNotOpenError') return refuse(request, reply, 503, 'The node is stopping; try again once it runs.')
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status >= 500) {
      log.error('HTTP %s %s failed: %s', request.method, printable(request.url), printable(err.message))
      return refuse(request, reply, 500, 'Internal error; details are in the node log.')
    }
    // @fastify/static refuses dotfiles and paths leaving its folder with a bare "Forbidden".
    if (path.startsWith(UI_PREFIX)) {
      return refuse(request, reply, status, status === 403
        ? `The UI does not serve ${quoted(path)}: hidden files and paths outside its folder are refused.`
        : `The UI cannot serve ${quoted(path)}: ${publicText(err.message)}.`)
    }
    return refuse(request, reply, status, publicText(err.message))
  })

  const handleRpc = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    // Browsers preflight JSON posts from other origins (and the node answers no CORS), but a
    // page must not reach the API even through a request shape that escapes preflight.
    if (!fromOwnUi(request.headers.origin)) {
      return rpcError(reply, 403, RPC_ERROR_CODES.InvalidRequest, 'Invalid request: the API only answers the node\'s own UI and clients that are not web pages (no Origin header).')
    }
    const body = typeof request.body === 'string' ? request.body : ''
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
    const response = await dispatcher.respondText(body, { transport: 'http', authenticated: holdsToken(bearer) })
    // Only notifications: JSON-RPC says send nothing; HTTP says 204.
    if (response === undefined) return reply.code(204).send()
    return reply.code(200).type('application/json; charset=utf-8').send(response)
  }
  for (const path of RPC_PATHS) app.post(path, handleRpc)

  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_WS_MESSAGE_BYTES, handleProtocols: chooseProtocol } })
  app.route({
    method: 'GET',
    url: WS_PATH,
    preValidation: async (request, reply) => {
      if (!fromOwnUi(request.headers.origin)) {
        return refuse(request, reply, 403, 'WebSocket connections are only accepted from the node\'s own UI.')
      }
      // An address is kept in browser histories and logs: the token has no place there.
      if (Object.hasOwn(request.query as object, 'token')) {
        return refuse(request, reply, 400, `The API token is not taken in the address: offer it as the WebSocket subprotocol ${WS_TOKEN_PROTOCOL_PREFIX}<token>, next to lineage.jsonrpc.`)
      }
      // Checked here so that a bad handshake gets JSON, not the ws library's own text answer.
      const { upgrade, 'sec-websocket-key': key, 'sec-websocket-version': version } = request.headers
      if (request.ws && (upgrade?.toLowerCase() !== 'websocket' || !WS_KEY.test(key ?? '') || (version !== '13' && version !== '8'))) {
        return refuse(request, reply, 400, 'A WebSocket handshake needs Upgrade: websocket, Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key of 16 base64-encoded bytes.')
      }
    },
    handler: async (request, reply) => refuse(request, reply.header('upgrade', 'websocket'), 426, `${WS_PATH} takes WebSocket connections only (Upgrade: websocket); send JSON-RPC over HTTP to POST /rpc.`),
    wsHandler: (socket, request) => {
      // A wrong token still opens the socket, unauthenticated: its calls then say why they are refused.
      const authenticated = holdsToken(tokenFromProtocols(request.headers['sec-websocket-protocol']))
      // Sockets hear what the validator decides and how long work goes, as JSON-RPC notifications;
      // only those holding the token hear what is private (jobs, files, peers, rejected writes).
      const send = (method: string, params: unknown): void => {
        if (!authenticated && !PUBLIC_EVENTS.has(method)) return
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ jsonrpc: '2.0', method, params }))
      }
      const onApplied = (outcome: Outcome): void => { send(EVENTS.transactionApplied, outcome) }
      const onRejected = (outcome: Outcome): void => { send(EVENTS.transactionRejected, outcome) }
      const onJob = ({ method, params }: JobNotification): void => { send(method, params) }
      gateway.lineage.on('applied', onApplied)
      gateway.lineage.on('rejected', onRejected)
      events.on('notification', onJob)
      socket.on('close', () => {
        gateway.lineage.off('applied', onApplied)
        gateway.lineage.off('rejected', onRejected)
        events.off('notification', onJob)
      })
      socket.on('message', (data, isBinary) => {
        if (isBinary) {
          socket.send(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: RPC_ERROR_CODES.InvalidRequest, message: 'Invalid request: send JSON-RPC as text frames' } }))
          return
        }
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8')
        void dispatcher.respondText(text, { transport: 'ws', authenticated }).then(response => {
          if (response !== undefined && socket.readyState === socket.OPEN) socket.send(response)
        })
      })
    },
  })

  const authorize = (request: FastifyRequest): 'ok' | 'no-token' | 'other-origin' => !fromOwnUi(request.headers.origin) ? 'other-origin' : holdsToken(/^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]) ? 'ok' : 'no-token'
  if (options.uploadsDir !== undefined) {
    await registerUploadRoutes(app, {
      uploads: createUploads({ dir: options.uploadsDir }),
      authorize,
      bodyLimit: MAX_UPLOAD_FILE_BYTES,
    })
  }
  if (options.downloads !== undefined) await registerDownloadRoutes(app, { exporter: options.downloads, authorize, ...(options.jobHistory === undefined ? {} : { jobHistory: options.jobHistory }) })

  const share = registerGateway(app, gateway)
  registerUi(app, uiDir, options.imageGateway)
  return { app, share }
}

/** A read of the gateway's public content (OPTIONS is a browser's CORS preflight for one). */
function isGatewayRead (method: string, url: string): boolean {
  return (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') && isGatewayPath(url)
}

function registerUi (app: FastifyInstance, uiDir: string, imageGateway?: () => string | undefined): void {
  app.get('/', async (_request, reply) => reply.redirect(UI_PREFIX, 302))
  app.get(UI_PREFIX.slice(0, -1), async (_request, reply) => reply.redirect(UI_PREFIX, 301))

  if (!fs.existsSync(`${uiDir}/index.html`)) {
    app.get(`${UI_PREFIX}*`, async (request, reply) =>
      refuse(request, reply, 503, `The UI has not been built (no ${uiDir}/index.html). Run \`npm run build\` and reload.`))
    return
  }
  void app.register(fastifyStatic, {
    root: uiDir,
    prefix: UI_PREFIX,
    index: 'index.html',
    dotfiles: 'deny',
    setHeaders (reply) {
      reply.header('Content-Security-Policy', uiContentSecurityPolicy(imageGateway?.()))
      reply.header('X-Content-Type-Options', 'nosniff')
      reply.header('X-Frame-Options', 'DENY')
      reply.header('Referrer-Policy', 'no-referrer')
    },
  })
}
