import { timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import Fastify from 'fastify'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fastifyStatic from '@fastify/static'
import fastifyWebsocket from '@fastify/websocket'
import type { Logger } from '@libp2p/logger'
import { MAX_BODY_BYTES, MAX_WS_MESSAGE_BYTES, UI_CONTENT_SECURITY_POLICY, UI_PREFIX } from './constants.js'
import type { Outcome } from '../lineage/engine/index.js'
import { EVENTS } from './constants.js'
import { RPC_ERROR_CODES } from './errors.js'
import { GATEWAY_PREFIXES, registerGateway } from './gateway/index.js'
import type { GatewayComponents } from './gateway/index.js'
import type { JobEvents, JobNotification } from './events.js'
import type { Dispatcher } from './rpc/index.js'
import { isAllowedHost, isAllowedOrigin } from './security.js'

export interface HttpServerOptions {
  host: string
  dispatcher: Dispatcher
  uiDir: string
  log: Logger
  gateway: GatewayComponents
  /** Job progress, forwarded to every socket. */
  events: JobEvents
  token: string
}

const RPC_PATHS = ['/rpc', '/api/v0/json-rpc']

function rpcError (reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ jsonrpc: '2.0', id: null, error: { code, message } })
}

/** Builds the HTTP app: JSON-RPC over POST and WebSocket, and the built UI. Does not listen. */
export async function buildHttpServer (options: HttpServerOptions): Promise<FastifyInstance> {
  const { host, dispatcher, uiDir, log, gateway, events, token } = options
  const expected = Buffer.from(token)
  // Constant time, so the token cannot be guessed a character at a time from response timings.
  const holdsToken = (presented: string | undefined): boolean => {
    if (presented === undefined) return false
    const given = Buffer.from(presented)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
  // forceCloseConnections: a stopping node must not wait on a browser's keep-alive connections.
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES, return503OnClosing: true, forceCloseConnections: true })

  // Keep the raw text: a malformed body must become a JSON-RPC parse error, not an HTTP 400.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => { done(null, body) })

  // A callback hook, not an async one: it runs on every request, gateway reads included.
  app.addHook('onRequest', (request, reply, done) => {
    // The gateway is public, read-only content that marketplaces may reach through a server's
    // own hostname; the Host check protects the API and UI, which are for this machine only.
    if ((request.method === 'GET' && isGatewayPath(request.url)) || isAllowedHost(request.headers.host, host)) {
      done()
      return
    }
    void reply.code(403).type('text/plain').send('This Lineage node only answers requests addressed to 127.0.0.1 or localhost.\n')
  })

  app.setErrorHandler((err: { code?: string, statusCode?: number, message: string }, request, reply) => {
    const isRpc = RPC_PATHS.includes(request.url.split('?')[0] ?? '')
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return isRpc
        ? rpcError(reply, 413, RPC_ERROR_CODES.InvalidRequest, `Invalid request: the body is larger than the ${MAX_BODY_BYTES} bytes the node accepts`)
        : reply.code(413).send({ error: `The body is larger than the ${MAX_BODY_BYTES} bytes the node accepts.` })
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return isRpc
        ? rpcError(reply, 415, RPC_ERROR_CODES.InvalidRequest, 'Invalid request: send JSON-RPC with Content-Type: application/json')
        : reply.code(415).send({ error: 'Unsupported Content-Type.' })
    }
    const status = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500
    if (status >= 500) log.error('HTTP %s %s failed: %s', request.method, request.url, err.message)
    return reply.code(status).send({ error: status >= 500 ? 'Internal error; details are in the node log.' : err.message })
  })

  const handleRpc = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const body = typeof request.body === 'string' ? request.body : ''
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
    const response = await dispatcher.handleText(body, { transport: 'http', authenticated: holdsToken(bearer) })
    // Only notifications: JSON-RPC says send nothing; HTTP says 204.
    if (response === undefined) return reply.code(204).send()
    return reply.code(200).type('application/json').send(JSON.stringify(response))
  }
  for (const path of RPC_PATHS) app.post(path, handleRpc)

  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_WS_MESSAGE_BYTES } })
  app.get('/rpc/ws', {
    websocket: true,
    preValidation: async (request, reply) => {
      if (!isAllowedOrigin(request.headers.origin, host)) {
        return reply.code(403).type('text/plain').send('WebSocket connections are only accepted from the node\'s own UI.\n')
      }
    },
  }, (socket, request) => {
    const authenticated = holdsToken((request.query as { token?: string }).token)
    // Every socket hears what the validator decides and how long work goes, as JSON-RPC notifications.
    const send = (method: string, params: unknown): void => {
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
      void dispatcher.handleText(text, { transport: 'ws', authenticated }).then(response => {
        if (response !== undefined && socket.readyState === socket.OPEN) socket.send(JSON.stringify(response))
      })
    })
  })

  registerGateway(app, gateway)
  registerUi(app, uiDir)
  return app
}

/** Whether a path is the gateway's (the `some` is written out: this runs on every request). */
function isGatewayPath (url: string): boolean {
  for (const prefix of GATEWAY_PREFIXES) if (url.startsWith(prefix)) return true
  return false
}

function registerUi (app: FastifyInstance, uiDir: string): void {
  app.get('/', async (_request, reply) => reply.redirect(UI_PREFIX, 302))
  app.get(UI_PREFIX.slice(0, -1), async (_request, reply) => reply.redirect(UI_PREFIX, 301))

  if (!fs.existsSync(`${uiDir}/index.html`)) {
    app.get(`${UI_PREFIX}*`, async (_request, reply) =>
      reply.code(503).type('text/plain').send(`The UI has not been built (no ${uiDir}/index.html). Run \`npm run build\` and reload.\n`))
    return
  }
  void app.register(fastifyStatic, {
    root: uiDir,
    prefix: UI_PREFIX,
    index: 'index.html',
    dotfiles: 'deny',
    setHeaders (reply) {
      reply.header('Content-Security-Policy', UI_CONTENT_SECURITY_POLICY)
      reply.header('X-Content-Type-Options', 'nosniff')
      reply.header('X-Frame-Options', 'DENY')
      reply.header('Referrer-Policy', 'no-referrer')
    },
  })
}
