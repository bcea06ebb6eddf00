/**
 * The node's HTTP face on 127.0.0.1: JSON-RPC 2.0 (`POST /rpc`, alias `POST /api/v0/json-rpc`,
 * and `GET /rpc/ws` for WebSocket), and the built UI at `/app/`. Electron IPC reuses the same
 * dispatcher through `dispatch()`.
 *
 * @example
 * ```ts
 * const api = createApi({ log, nodeInfo: () => node.info() }, { host: '127.0.0.1', port: 5480, uiDir })
 * await api.start()   // listens; api.url is e.g. http://127.0.0.1:5480
 * await api.stop()
 * ```
 */
import type { Logger } from '@libp2p/logger'
import type { ImportEvent } from '../lineage/import/index.js'
import type { MetadataFormatter } from '../marine/index.js'
import type { SqliteBlockstore } from '../store/index.js'
import type { FastifyInstance } from 'fastify'
import { choosePort } from '../ports/index.js'
import { EVENTS, RPC_READ_CACHE_CHARS } from './constants.js'
import { JobEvents } from './events.js'
import { createDispatcher, createRpcMethods } from './rpc/index.js'
import type { Dispatcher, JsonRpcResponse, RpcContext, RpcMethodInfo, RpcMethodsComponents } from './rpc/index.js'
import { buildHttpServer } from './server.js'
import { buildPublicGatewayServer } from './public-gateway.js'
import { PublicGatewayListenError } from './gateway/errors.js'
import { documentAtPath } from './gateway/index.js'
import type { BackgroundFormatter, DocumentStore } from './gateway/index.js'
import type { ApiListener } from './starting/index.js'

export interface ApiComponents extends RpcMethodsComponents {
  log: Logger
  formatter: MetadataFormatter
  blockstore: SqliteBlockstore
  /** Formatted tokenURI documents kept across restarts. */
  storedDocuments: DocumentStore
  /** The store's data version (Store.dataVersion): cached read answers last while it stands. */
  dataVersion: () => number
}

export interface ApiInit {
  host: string
  /** Preferred port; when busy, a free one is used and `portWasBusy` says so. */
  port: number
  uiDir: string
  /** The secret private methods require (Authorization: Bearer, or the WebSocket subprotocol lineage.token.<token>). */
  token: string
  /** Origins trusted as the UI's besides the node's own (the project's dev server only; NodeConfig devUiOrigins). */
  devUiOrigins?: readonly string[]
  /** A second, public listener serving only the read-only gateway; none when absent. */
  publicGateway?: PublicGatewayInit
  /**
   * A socket already listening (the node's starting listener): the API takes it over once ready
   * instead of listening itself, and the listener's owner closes it after `stop()`.
   */
  listener?: ApiListener
  /** Where browser uploads go (`<data-dir>/uploads`); no upload endpoints when absent. */
  uploadsDir?: string
}

export interface PublicGatewayInit {
  host: string
  /** Exact port (0: any free one); a busy one fails the start, it is not swapped silently. */
  port: number
  /** Reads a second per client (0: no limit), and the burst allowed. */
  ratePerSecond: number
  rateBurst: number
  /** Reverse proxies whose X-Forwarded-For names the client. */
  trustedProxies: readonly string[]
}

export interface Api {
  start(): Promise<void>
  stop(): Promise<void>
  isStarted(): boolean
  /** Base URL once started, e.g. http://127.0.0.1:5480 */
  readonly url: string | null
  readonly port: number | null
  /** True when the preferred port was taken and another was chosen. */
  readonly portWasBusy: boolean
  /** Base URL of the public gateway listener once started, e.g. http://0.0.0.0:8080; null without one. */
  readonly publicUrl: string | null
  /** Answers a parsed JSON-RPC message; used by transports that are not HTTP (Electron IPC). */
  dispatch(message: unknown, context: RpcContext): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined>
  /** Every JSON-RPC method with its parameter schemas (what `dispatch` and the HTTP API answer). */
  readonly methods: readonly RpcMethodInfo[]
  /** Progress of imports, exports, pins and GC runs, as the WebSocket forwards it (and IPC may). */
  readonly events: JobEvents
  /**
   * Resolves once the gateway has made (and kept) every document it has pending: those of the
   * start-up walk, and the tokens changed by writes. For benchmarks and tests that restart a node.
   */
  gatewaySettled(): Promise<void>
}

class HttpApi implements Api {
  readonly events = new JobEvents()
  private readonly dispatcher: Dispatcher
  private server: FastifyInstance | undefined
  private publicServer: FastifyInstance | undefined
  private publicPort: number | null = null
  private boundPort: number | null = null
  private busy = false
  private background: BackgroundFormatter | undefined

  constructor (private readonly components: ApiComponents, private readonly init: ApiInit) {
    this.dispatcher = createDispatcher(createRpcMethods({ ...components, events: this.events }), components.log, { dataVersion: components.dataVersion, maxChars: RPC_READ_CACHE_CHARS })
  }

  /** The importer's events, under the same names, without the `type` the method name now carries. */
  private readonly forwardImport = (event: ImportEvent): void => {
    if (event.type === EVENTS.importProgress) {
      const { job, phase, done, total, applied, unchanged, rejected, skipped, rate, eta_seconds: eta } = event
      this.events.publish(EVENTS.importProgress, { job, phase, done, total, applied, unchanged, rejected, skipped, rate, eta_seconds: eta })
    } else {
      this.events.publish(EVENTS.importDone, { job: event.job, report: event.report })
    }
  }

  get url (): string | null {
    if (this.boundPort === null) return null
    const host = this.init.host.includes(':') ? `[${this.init.host}]` : this.init.host
    return `http://${host}:${this.boundPort}`
  }

  get publicUrl (): string | null {
    const init = this.init.publicGateway
    if (this.publicPort === null || init === undefined) return null
    return `http://${init.host.includes(':') ? `[${init.host}]` : init.host}:${this.publicPort}`
  }

  get port (): number | null { return this.boundPort }
  get methods (): readonly RpcMethodInfo[] { return this.dispatcher.methods }
  get portWasBusy (): boolean { return this.busy }
  isStarted (): boolean { return this.server !== undefined }

  async start (): Promise<void> {
    if (this.server !== undefined) return
    const { lineage, formatter, blockstore, log, storedDocuments: stored, ipns, reveal, chain } = this.components
    const onBackgroundFormatter = (background: BackgroundFormatter): void => { this.background = background }
    const listener = this.init.listener
    const { app: server, share } = await buildHttpServer({ host: this.init.host, dispatcher: this.dispatcher, uiDir: this.init.uiDir, log, gateway: { lineage, formatter, blockstore, stored, log, onBackgroundFormatter, ipns, ...(reveal === undefined ? {} : { reveal }), ...(chain === undefined ? {} : { chain }) }, events: this.events, token: this.init.token, devUiOrigins: this.init.devUiOrigins ?? [], imageGateway: () => this.components.browse.imageGateway() ?? undefined, ...(this.init.uploadsDir === undefined ? {} : { uploadsDir: this.init.uploadsDir }), ...(this.init.uploadsDir === undefined ? {} : { downloads: this.components.exporter }), ...(this.components.jobHistory === undefined ? {} : { jobHistory: this.components.jobHistory }), ...(listener === undefined ? {} : { server: listener.server }) })
    const publicInit = this.init.publicGateway
    // Built before either listens, so nothing is left listening if building fails.
    const publicServer = publicInit === undefined
      ? undefined
      : buildPublicGatewayServer({ gateway: { lineage, formatter, blockstore, stored, log, ipns, ...(reveal === undefined ? {} : { reveal }) }, share, ratePerSecond: publicInit.ratePerSecond, rateBurst: publicInit.rateBurst, trustedProxies: publicInit.trustedProxies })
    const port = listener?.port ?? await choosePort(this.init.host, this.init.port)
    try {
      // A taken-over listener already listens: the app only gets ready (its hooks run as in listen()).
      if (listener === undefined) await server.listen({ host: this.init.host, port })
      else await server.ready()
    } catch (err) {
      await publicServer?.close()
      await server.close()
      throw err
    }
    const address = server.server.address()
    this.boundPort = typeof address === 'object' && address !== null ? address.port : port
    this.busy = listener?.portWasBusy ?? (this.init.port !== 0 && this.boundPort !== this.init.port)
    if (publicInit !== undefined && publicServer !== undefined) {
      const where = `${publicInit.host.includes(':') ? `[${publicInit.host}]` : publicInit.host}:${publicInit.port}`
      try {
        await publicServer.listen({ host: publicInit.host, port: publicInit.port })
      } catch (err) {
        await publicServer.close()
        await server.close()
        this.boundPort = null
        const code = (err as { code?: string }).code
        throw new PublicGatewayListenError(where, code === 'EADDRINUSE'
          ? 'the port is in use by another program'
          : code === 'EADDRNOTAVAIL' ? 'that address is not one of this machine\'s' : code === 'EACCES' ? 'this user may not listen on that port' : (err as Error).message)
      }
      const publicAddress = publicServer.server.address()
      this.publicPort = typeof publicAddress === 'object' && publicAddress !== null ? publicAddress.port : publicInit.port
      this.publicServer = publicServer
      this.components.log('public gateway listening on %s', this.publicUrl)
    }
    this.server = server
    this.components.importer.on('event', this.forwardImport)
    listener?.handOver(server.routing, async (text, context) => await this.dispatcher.respondText(text, context), path => documentAtPath(share, path, reveal))
    if (this.busy) this.components.log('port %d was busy; API listening on %s instead', this.init.port, this.url)
    else this.components.log('API listening on %s', this.url)
  }

  async stop (): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    this.boundPort = null
    // First: it serves the API app's documents, which close with that app.
    const publicServer = this.publicServer
    this.publicServer = undefined
    this.publicPort = null
    await publicServer?.close()
    this.components.importer.off('event', this.forwardImport)
    // An open UI tab keeps its WebSocket open; end it so close() does not wait for the tab.
    for (const client of server.websocketServer?.clients ?? []) client.terminate()
    await server.close()
  }

  async gatewaySettled (): Promise<void> {
    await this.background?.idle()
  }

  async dispatch (message: unknown, context: RpcContext): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
    return this.dispatcher.handle(message, context)
  }
}

export function createApi (components: ApiComponents, init: ApiInit): Api {
  return new HttpApi(components, init)
}

export type { RpcContext, JsonRpcResponse, RpcMethodInfo } from './rpc/index.js'
export { LogRing, recordingLogger, unauthorized } from './rpc/index.js'
export type * from './rpc-types.js'
export { INTERNAL_ERROR_MESSAGE, RPC_ERROR_CODES, RpcError, toRpcError } from './errors.js'
export { namedPaths, publicText } from './public-text.js'
export { UI_CONTENT_SECURITY_POLICY, uiContentSecurityPolicy, UI_PREFIX, MAX_BODY_BYTES, MAX_BATCH_SIZE, EVENTS, PUBLIC_EVENTS, JOB_PROGRESS_INTERVAL_MS, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from './constants.js'
export { isAllowedHost, isAllowedOrigin, ownOrigins, tokenFromProtocols } from './security.js'
export { JobEvents } from './events.js'
export { PublicGatewayListenError } from './gateway/errors.js'
export { PUBLIC_RATE_BURST, PUBLIC_RATE_PER_SECOND } from './gateway/constants.js'
export { createDocumentStore } from './gateway/index.js'
export type { ApiListener } from './starting/index.js'
export type { JobNotification } from './events.js'
