import { timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '@libp2p/logger'
import { choosePort } from '../../ports/index.js'
import { MAX_BODY_BYTES, RPC_PATHS } from '../constants.js'
import { RPC_ERROR_CODES, toRpcError } from '../errors.js'
import { METADATA_CACHE_CONTROL } from '../gateway/constants.js'
import { isGatewayPath } from '../gateway/paths.js'
import { unauthorized } from '../rpc/dispatcher.js'
import { isAllowedHost, isAllowedOrigin, ownOrigins } from '../security.js'
import { FAILED_ANSWER_GRACE_MS, START_WAIT_MS } from './constants.js'
import { NodeStartFailedError, NodeStartingError } from './errors.js'
import type { KeptDocuments } from './kept-documents.js'

/** Answers a JSON-RPC body as the API's dispatcher does, with the JSON text to send (undefined: nothing, 204). */
export type Respond = (text: string, context: { transport: 'http', authenticated: boolean }) => Promise<string | undefined>

/** A tokenURI document as the listener sends it. */
export interface ServedDocument { etag: string, json: string }

/** The document a gateway path names, when that document is the answer (else the API app answers). */
export type DocumentAt = (path: string) => ServedDocument | undefined

/** What the API needs of a listener it takes over instead of listening itself. */
export interface ApiListener {
  readonly server: http.Server
  /** The port it listens on (null before it does). */
  readonly port: number | null
  /** True when the preferred port was taken and another was chosen. */
  readonly portWasBusy: boolean
  /**
   * From now on every request is the API app's (`handler`), but for the gateway's documents
   * `documentAt` names, which the listener sends itself, and JSON-RPC posts, whose bodies it reads
   * and hands to `respond`.
   */
  handOver(handler: (request: IncomingMessage, response: ServerResponse) => void, respond: Respond, documentAt?: DocumentAt): void
}

export interface StartingListenerComponents {
  log: Logger
  /** node_info's answer, the one method served before the node runs. */
  nodeInfo: () => unknown
  /** The gateway's kept documents; none, and every gateway read waits. */
  documents?: KeptDocuments
}

export interface StartingListenerInit {
  host: string
  /** Preferred port; when busy, a free one is used and `portWasBusy` says so. */
  port: number
  /** The API token (node_info needs it, as every private method does). */
  token: string
  devUiOrigins?: readonly string[]
  /** How long a request that needs the whole node waits (ms). */
  waitMs?: number
}

type Readiness = { state: 'starting' } | { state: 'ready', handler: (request: IncomingMessage, response: ServerResponse) => void, respond: Respond, documentAt: DocumentAt | undefined } | { state: 'failed', reason: string }

/** A 304's headers: a document's, but for the type of the body it does not send. */
const NOT_MODIFIED_HEADERS = {
  'cache-control': METADATA_CACHE_CONTROL,
  'access-control-allow-origin': '*',
}

const DOCUMENT_HEADERS = {
  ...NOT_MODIFIED_HEADERS,
  'content-type': 'application/json; charset=utf-8',
}

/**
 * The API's socket, open from the moment the store and identity are: while the rest of the node
 * starts it answers node_info (state "starting") and the gateway's kept documents from SQLite, and
 * holds every other request until the API app takes over (then hands it on untouched), at most
 * `waitMs`. Loads neither libp2p, Fluence nor Marine: what makes the node answer in a fraction
 * of its start time.
 */
export class StartingListener implements ApiListener {
  readonly server: http.Server
  private readiness: Readiness = { state: 'starting' }
  private readonly waiters = new Set<() => void>()
  private bound: number | null = null
  private busy = false
  private readonly expected: Buffer
  private own: ReadonlySet<string> = new Set()

  constructor (private readonly components: StartingListenerComponents, private readonly init: StartingListenerInit) {
    this.expected = Buffer.from(init.token)
    // Node answers an HTTP/1.1 request without Host with an empty 400; the API's hook says why.
    this.server = http.createServer({ requireHostHeader: false }, (request, response) => { this.onRequest(request, response) })
    // fastify's defaults, which it sets only on servers it makes: the API behaves as when it listened itself.
    this.server.keepAliveTimeout = 72_000
    this.server.requestTimeout = 0
  }

  get port (): number | null { return this.bound }
  get portWasBusy (): boolean { return this.busy }

  async listen (): Promise<void> {
    const port = await choosePort(this.init.host, this.init.port)
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen({ host: this.init.host, port }, () => { this.server.off('error', reject); resolve() })
    })
    const address = this.server.address()
    this.bound = typeof address === 'object' && address !== null ? address.port : port
    this.busy = this.init.port !== 0 && this.bound !== this.init.port
    this.own = new Set([...ownOrigins(this.init.host, this.bound), ...this.init.devUiOrigins ?? []])
  }

  handOver (handler: (request: IncomingMessage, response: ServerResponse) => void, respond: Respond, documentAt?: DocumentAt): void {
    this.readiness = { state: 'ready', handler, respond, documentAt }
    this.wake()
  }

  /** The node will not run: requests waiting (and any later ones) are told why. */
  fail (reason: string): void {
    if (this.readiness.state === 'ready') return
    this.readiness = { state: 'failed', reason }
    this.wake()
  }

  /** Stops listening and ends every connection (answers to waiting callers get a moment first). */
  async close (): Promise<void> {
    if (this.readiness.state === 'starting') this.fail('it was stopped while starting')
    const closed = new Promise<void>(resolve => { this.server.close(() => { resolve() }) })
    this.server.closeIdleConnections()
    const cut = setTimeout(() => { this.server.closeAllConnections() }, this.readiness.state === 'ready' ? 0 : FAILED_ANSWER_GRACE_MS)
    if (this.bound === null) clearTimeout(cut)
    await closed
    clearTimeout(cut)
    this.bound = null
  }

  private wake (): void {
    for (const waiter of this.waiters) waiter()
    this.waiters.clear()
  }

  /** Resolves once the node is ready, has failed, or `waitMs` has passed. */
  private async settled (): Promise<void> {
    if (this.readiness.state !== 'starting') return
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => { this.waiters.delete(done); resolve() }, this.init.waitMs ?? START_WAIT_MS)
      const done = (): void => { clearTimeout(timer); resolve() }
      this.waiters.add(done)
    })
  }

  /** Why a request cannot be served now: the start failed, or it is taking longer than a caller waits. */
  private notReady (): Error {
    return this.readiness.state === 'failed' ? new NodeStartFailedError(this.readiness.reason) : new NodeStartingError(this.init.waitMs ?? START_WAIT_MS)
  }

  private onRequest (request: IncomingMessage, response: ServerResponse): void {
    const path = pathOf(request.url ?? '/')
    if (this.readiness.state === 'ready') {
      // A document read is most of a gateway's traffic: sent here, it skips the app's routing and
      // hooks (about a sixth of its CPU), with the app's headers. Everything else is the app's.
      const document = isDocumentRead(request, path) ? this.readiness.documentAt?.(path) : undefined
      if (document !== undefined) sendDocument(request, response, document)
      else if (this.isPlainRpc(request, path)) this.plainRpc(request, response, this.readiness.respond).catch(this.rpcFailed(response))
      else this.readiness.handler(request, response)
      return
    }
    if (request.method === 'POST' && RPC_PATHS.includes(path)) {
      this.rpc(request, response).catch(this.rpcFailed(response))
      return
    }
    if (isDocumentRead(request, path)) {
      const document = this.components.documents?.read(path)
      if (document !== undefined) {
        sendDocument(request, response, document)
        return
      }
    }
    void this.settled().then(() => {
      if (this.readiness.state === 'ready') {
        this.readiness.handler(request, response)
        return
      }
      send(response, 503, { error: this.notReady().message }, isGatewayPath(path))
    })
  }

  /** JSON-RPC over POST while starting: node_info at once, anything else once the node runs. */
  private async rpc (request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The same refusals as the API's, before anything is read: loopback Host, no foreign Origin.
    if (!isAllowedHost(request.headers.host, this.init.host)) {
      send(response, 403, { error: 'This Lineage node only answers requests addressed to 127.0.0.1 or localhost.' })
      return
    }
    if (!isAllowedOrigin(request.headers.origin, this.own)) {
      send(response, 403, rpcError(null, RPC_ERROR_CODES.InvalidRequest, 'Invalid request: the API only answers the node\'s own UI and clients that are not web pages (no Origin header).'))
      return
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      await this.later(request, response)
      return
    }
    const text = await readBody(request)
    if (text === undefined) {
      send(response, 413, rpcError(null, RPC_ERROR_CODES.InvalidRequest, `Invalid request: the body is larger than the ${MAX_BODY_BYTES} bytes the node accepts`))
      return
    }
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch (err) {
      send(response, 200, rpcError(null, RPC_ERROR_CODES.ParseError, `Parse error: the request is not valid JSON (${(err as Error).message})`))
      return
    }
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
    const authenticated = this.holdsToken(bearer)
    const call = message as { jsonrpc?: unknown, id?: unknown, method?: unknown, params?: unknown }
    const isNodeInfo = typeof message === 'object' && message !== null && !Array.isArray(message) && call.jsonrpc === '2.0' &&
      call.method === 'node_info' && (typeof call.id === 'string' || typeof call.id === 'number') && (call.params === undefined || (Array.isArray(call.params) && call.params.length === 0))
    if (isNodeInfo) {
      send(response, 200, authenticated
        ? { jsonrpc: '2.0', id: call.id, result: this.components.nodeInfo() }
        : rpcError(call.id, RPC_ERROR_CODES.Unauthorized, unauthorized('node_info')))
      return
    }
    // Anything else, once the dispatcher is there (its refusals, in its words).
    await this.settled()
    if (this.readiness.state !== 'ready') {
      const error = toRpcError(this.notReady())
      const id = typeof call?.id === 'string' || typeof call?.id === 'number' ? call.id : null
      send(response, 200, rpcError(id, error.code, error.message, error.data))
      return
    }
    await this.answer(response, this.readiness.respond, text, authenticated)
  }

  /**
   * A JSON-RPC post the API app would answer no differently, read here once the node runs: it
   * skips the app's routing, hooks and body parsing, half of what a read cost the node. Anything
   * the app refuses in its own words (no Host, a foreign Host or Origin, another media type, no
   * or too large a length, an encoded body) stays the app's.
   */
  private isPlainRpc (request: IncomingMessage, path: string): boolean {
    if (request.method !== 'POST' || !RPC_PATHS.includes(path) || request.headers.upgrade !== undefined) return false
    const length = Number(request.headers['content-length'] ?? NaN)
    return Number.isSafeInteger(length) && length <= MAX_BODY_BYTES && request.headers['transfer-encoding'] === undefined && request.headers['content-encoding'] === undefined &&
      isAllowedHost(request.headers.host, this.init.host) && isAllowedOrigin(request.headers.origin, this.own) &&
      mediaTypeOf(request.headers['content-type']) === 'application/json'
  }

  private async plainRpc (request: IncomingMessage, response: ServerResponse, respond: Respond): Promise<void> {
    const text = await readWholeBody(request)
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
    await this.answer(response, respond, text, this.holdsToken(bearer))
  }

  private async answer (response: ServerResponse, respond: Respond, text: string, authenticated: boolean): Promise<void> {
    const answer = await respond(text, { transport: 'http', authenticated })
    if (answer === undefined) {
      response.writeHead(204).end()
      return
    }
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) }).end(answer)
  }

  private rpcFailed (response: ServerResponse): (err: unknown) => void {
    return err => {
      this.components.log.error('RPC over the listener failed: %e', err)
      if (!response.headersSent) send(response, 500, { error: 'Internal error; details are in the node log.' })
    }
  }

  /** A request this listener does not read itself: the API app answers it once it runs. */
  private async later (request: IncomingMessage, response: ServerResponse): Promise<void> {
    await this.settled()
    if (this.readiness.state === 'ready') this.readiness.handler(request, response)
    else send(response, 503, { error: this.notReady().message })
  }

  private holdsToken (presented: string | undefined): boolean {
    if (presented === undefined) return false
    const given = Buffer.from(presented)
    return given.length === this.expected.length && timingSafeEqual(given, this.expected)
  }
}

/**
 * A GET or HEAD of a gateway path that the app's hooks let through: not asking to switch
 * protocols, and naming its host if it is HTTP/1.1 (the app refuses both, in its words).
 */
function isDocumentRead (request: IncomingMessage, path: string): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && request.headers.upgrade === undefined &&
    (request.headers.host !== undefined || request.httpVersion !== '1.1') && isGatewayPath(path)
}

/** A document as the gateway's routes send it: its ETag, a 304 when the client holds it. */
function sendDocument (request: IncomingMessage, response: ServerResponse, document: ServedDocument): void {
  if (request.headers['if-none-match'] === document.etag) {
    response.writeHead(304, { ...NOT_MODIFIED_HEADERS, etag: document.etag }).end()
    return
  }
  response.writeHead(200, { ...DOCUMENT_HEADERS, etag: document.etag, 'content-length': Buffer.byteLength(document.json) })
  response.end(request.method === 'HEAD' ? undefined : document.json)
}

/** The media type of a Content-Type header, lower case, without parameters. */
function mediaTypeOf (header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const semicolon = header.indexOf(';')
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase()
}

function pathOf (url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}

function rpcError (id: unknown, code: number, message: string, data?: unknown): unknown {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } }
}

function send (response: ServerResponse, status: number, body: unknown, cors = false): void {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
  if (cors) headers['access-control-allow-origin'] = '*'
  // Closed after the answer: a node that failed to start closes this socket next.
  if (status === 503) headers.connection = 'close'
  response.writeHead(status, headers).end(JSON.stringify(body))
}

/** A body whose length the request declared (and Node's parser holds it to), as text. */
async function readWholeBody (request: IncomingMessage): Promise<string> {
  return await new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => { chunks.push(chunk) })
    request.on('end', () => { resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')) })
    request.on('error', reject)
  })
}

/** The body as text, or undefined once it passes the API's body limit. */
async function readBody (request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
