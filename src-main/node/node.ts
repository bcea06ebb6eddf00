import { join } from 'node:path'
import type { ComponentLogger, Logger } from '@libp2p/logger'
import type { Api, NodeInfo } from '../api/index.js'
import { createStartingListener, KeptDocuments, LogRing, recordingLogger } from '../api/starting/index.js'
import type { StartingListener } from '../api/starting/index.js'
import type { Fluence, FluenceStatus } from '../fluence/index.js'
import type { P2pHost, Reachability } from '../p2p/index.js'
import type { Exporter } from '../lineage/export/index.js'
import type { Importer } from '../lineage/import/index.js'
import type { Snapshots } from '../lineage/snapshots/index.js'
import type { BitswapService } from '../ipfs/index.js'
import type { ChainWatcher } from '../chain/index.js'
import { createRevealGate, revealedTokens } from '../chain/index.js'
import type { Replication } from '../replication/index.js'
import type { Lineage } from '../lineage/engine/index.js'
import { createStore } from '../store/index.js'
// The read model's own file: lineage/tokens/index.ts loads Marine, which a starting node does not yet.
import { ledgerReads } from '../lineage/tokens/ledger-reads.js'
import type { Store } from '../store/index.js'
import { loadOrCreateApiToken, packageInfo, removeApiFile, writeApiFile } from './local/index.js'
import { isLoopback, resolveConfig } from './config.js'
import type { Findable } from './findable.js'
import type { NodeConfig, NodeConfigInit } from './config.js'
import { BUILTIN_CONTRACTS } from './constants.js'
import type { NodeState } from './constants.js'
import { NodeStartCancelledError, NodeStateError } from './errors.js'
import type { SecretCipher } from '../secrets/index.js'
import { secureDataDir } from './data-dir-modes.js'
import { loadOrCreateIdentity } from './identity.js'
import { loadInTurns } from './load-in-turns.js'
import type { NodeIdentity } from './identity.js'
import { PartStack } from './parts.js'
import type { Part } from './parts.js'
import { formatterIdOf, readService } from './services.js'

export interface LineageNodeComponents {
  logger: ComponentLogger
  /** Seals credentials kept outside the database: the desktop app's OS keychain; else a key file. */
  secretCipher?: SecretCipher
  /**
   * Awaited once the API socket listens (node_info answering "starting"), before the other parts
   * start; a rejection fails the start. Lets a caller act on an answering node early, and tests
   * hold a start there.
   */
  whileStarting?: () => Promise<void>
}

export interface NodeStatus {
  state: NodeState
  peerId: string | null
  version: string
  dataDir: string
  startedAt: Date | null
  uptimeMs: number
  schemaVersion: number
  offline: boolean
  apiUrl: string | null
  /** Set when the preferred API port was busy and another was chosen. */
  apiPortWasBusy: boolean
  /** Base URL of the public, read-only gateway listener; null when none is open. */
  publicGatewayUrl: string | null
  /** Multiaddrs of the libp2p host; empty when offline. */
  listenAddresses: string[]
  connections: number
  p2pPortsWereBusy: boolean
  /** The embedded Fluence peer; null when offline or stopped. */
  fluence: FluenceStatus | null
  /** Whether peers on the internet can reach the node, directly or through a relay. */
  reachability: Reachability
}

/** A part with a lifecycle; the node starts them in order and stops them in reverse. */
export class LineageNode {
  readonly config: NodeConfig
  private readonly log: Logger
  private readonly secretCipher: SecretCipher | undefined
  private readonly whileStarting: (() => Promise<void>) | undefined
  /** What keeps the data dir readable by others and could not be fixed (secureDataDir). */
  private dataDirWarnings: string[] = []
  private readonly logger: ComponentLogger
  private state: NodeState = 'stopped'
  private startedAt: Date | null = null
  private identity: NodeIdentity | undefined
  private storePart: Store | undefined
  private apiPart: Api | undefined
  private p2pPart: P2pHost | undefined
  private fluencePart: Fluence | undefined
  private lineagePart: Lineage | undefined
  private replicationPart: Replication | undefined
  private importerPart: Importer | undefined
  private exporterPart: Exporter | undefined
  private findablePart: Findable | undefined
  private snapshotsPart: Snapshots | undefined
  private chainPart: ChainWatcher | undefined
  /** The API's socket from the start on (the API app takes it over once the node runs). */
  private listenerPart: StartingListener | undefined
  private readonly parts: PartStack
  /** Set by stop() during a start: the start unwinds after the step in progress. */
  private stopRequested = false
  private starting: Promise<void> | undefined
  /** The node's recent log lines (its own components'), for recent_logs. */
  private readonly logs = new LogRing()

  constructor (components: LineageNodeComponents, init: NodeConfigInit = {}) {
    this.config = resolveConfig(init)
    this.logger = recordingLogger(components.logger, this.logs)
    this.log = components.logger.forComponent('lineage:node')
    this.parts = new PartStack(this.log)
    this.secretCipher = components.secretCipher
    this.whileStarting = components.whileStarting
  }

  get store (): Store {
    if (this.storePart === undefined) throw new NodeStateError('use the store of', this.state)
    return this.storePart
  }

  get api (): Api {
    if (this.apiPart === undefined) throw new NodeStateError('use the API of', this.state)
    return this.apiPart
  }

  get lineage (): Lineage {
    if (this.lineagePart === undefined) throw new NodeStateError('use the engine of', this.state)
    return this.lineagePart
  }

  get replication (): Replication {
    if (this.replicationPart === undefined) throw new NodeStateError('use replication of', this.state)
    return this.replicationPart
  }

  /** Bulk import jobs (folders, CSV, CAR), the same the API runs. */
  get importer (): Importer {
    if (this.importerPart === undefined) throw new NodeStateError('use the importer of', this.state)
    return this.importerPart
  }

  /** CAR export of what the node keeps. */
  get exporter (): Exporter {
    if (this.exporterPart === undefined) throw new NodeStateError('use the exporter of', this.state)
    return this.exporterPart
  }

  /** ipfs:// snapshots of collections (what the node provides and names, besides slot heads). */
  get snapshots (): Snapshots {
    if (this.snapshotsPart === undefined) throw new NodeStateError('use the snapshots of', this.state)
    return this.snapshotsPart
  }

  /** The chain watcher and its owner index (isMinted, ownerOf); it watches nothing while offline. */
  get chain (): ChainWatcher {
    if (this.chainPart === undefined) throw new NodeStateError('use the chain watcher of', this.state)
    return this.chainPart
  }

  get p2p (): P2pHost | undefined {
    return this.p2pPart
  }

  /** The DHT provider and IPNS names; undefined while stopped. */
  get findable (): Findable | undefined {
    return this.findablePart
  }

  /** The embedded Fluence peer; undefined when offline or stopped. */
  get fluence (): Fluence | undefined {
    return this.fluencePart
  }

  get peerId (): string | null {
    return this.identity?.peerId ?? null
  }

  /**
   * Starts every part in dependency order (store, identity, the API's socket and api.json saying
   * "starting", then p2p, Marine services and sandbox, engine, importer, Fluence peer, the API
   * app, api.json saying "running"; docs/ARCHITECTURE.md lists why). While it starts the socket
   * answers node_info and kept gateway documents, and holds other calls until the node runs. If
   * any step fails (or stop() is called), the steps already done are undone, so a failed start
   * leaves nothing running or locked, and callers waiting on the socket are told why.
   */
  async start (): Promise<void> {
    if (this.state === 'running') return
    if (this.state !== 'stopped') throw new NodeStateError('start', this.state)
    this.state = 'starting'
    this.stopRequested = false
    this.starting = this.startParts()
    try {
      await this.starting
    } finally {
      this.starting = undefined
    }
  }

  private async startParts (): Promise<void> {
    try {
      this.dataDirWarnings = secureDataDir(this.config.dataDir, this.log)
      const store = createStore({ log: this.logger.forComponent('lineage:store') }, { dataDir: this.config.dataDir })
      await this.startPart({ name: 'store', start: () => { store.start() }, stop: () => { store.stop() } })
      this.storePart = store
      // The api file is removed last, while the database is still ours: no other node can have
      // written one yet. One found now names a node that did not stop cleanly; none runs.
      await this.startPart({ name: 'api file removal', start: () => { removeApiFile(this.config.dataDir) }, stop: () => { removeApiFile(this.config.dataDir) } })

      this.identity = await loadOrCreateIdentity(this.config.dataDir, this.log)

      // The API's socket listens now, before the modules below load: node_info and the gateway's
      // kept documents (read from SQLite) are answered while the rest starts.
      const formatterWasm = readService(this.config.servicesDir, 'formatter')
      const formatterId = formatterIdOf(formatterWasm)
      const apiToken = loadOrCreateApiToken(this.config.dataDir)
      // Reveal on mint: every public read of a token's content asks it, from the first request on.
      const reveal = createRevealGate(store.db)
      const listener = createStartingListener({ log: this.logger.forComponent('lineage:api'), nodeInfo: () => this.info(), documents: new KeptDocuments(store.db, formatterId, reveal) }, {
        host: this.config.rpcHost, port: this.config.rpcPort, token: apiToken, devUiOrigins: this.config.devUiOrigins,
      })
      await this.startPart({ name: 'api listener', start: () => listener.listen(), stop: () => listener.close() })
      this.listenerPart = listener
      this.log('API socket listening on %s while the node starts', this.apiUrl())
      const announced = { url: this.apiUrl() ?? '', peerId: this.identity.peerId, pid: process.pid }
      // The removal above undoes it; "running" is written only once every part runs.
      await this.startPart({ name: 'api file (starting)', start: () => { writeApiFile(this.config.dataDir, { ...announced, state: 'starting' }) }, stop: () => {} })
      await this.whileStarting?.()
      this.checkStopRequested()

      const {
        createApi, createDocumentStore, toRpcError, createP2pHost, dialTarget, createFluencePeer,
        createExporter, createJobHistory, createKeystore, createPins, createSnapshots, createBitswapService,
        createBlockReader, createRegistry, createRemotePinning, multiaddr, createReplication, createSearch, createTokens, ContractCallsBusyError,
        formatterFromWasm, REMOTE_CALLS_WAITING_PER_CONTRACT, WaitingCallsGate,
        CID, createFindable, createSecretVault, startEngineParts, createNodeImporter, createBrowseParts,
        createChainWatcher, createCronReads, createBulkEditor, createChainWriter, UPLOADS_DIR,
      } = await loadInTurns()
      this.checkStopRequested()

      // Offline means nothing listens or dials beyond the loopback API: no host at all.
      if (!this.config.offline) {
        const p2p = createP2pHost({ privateKey: this.identity.privateKey, logger: this.logger }, {
          host: this.config.p2pHost,
          port: this.config.p2pPort,
          mdns: this.config.mdns,
          bootstrap: this.config.bootstrap,
          isDenied: peerId => this.replicationPart?.isDenied(peerId) === true,
          ...(this.config.dht ? { dht: { network: isLoopback(this.config.p2pHost) ? 'local' as const : 'public' as const } } : {}),
          listen: this.config.p2pListen,
          announce: this.config.p2pAnnounce,
          nat: { relayService: this.config.circuitRelayService, relayMaxReservations: this.config.circuitRelayMaxReservations },
        })
        await this.startPart({ name: 'p2p', start: () => p2p.start(), stop: () => p2p.stop() })
        this.p2pPart = p2p
        // The Fluence peer's js-client and Aqua API load with its first particle or call, not here.
      }

      // The chain watcher is made with the engine (it starts later): confirmed mints call their
      // collection's on_mint, and on_execute and bindings read the chain back from the first transaction.
      let chain: ChainWatcher | undefined
      const wire = (engine: Lineage): void => {
        chain = createChainWatcher({ db: store.db, log: this.logger.forComponent('lineage:chain'), mints: engine.mintWriter })
        engine.useChain(chain)
      }
      const { sandbox, blockstore, contracts, lineage } = await startEngineParts({ store, servicesDir: this.config.servicesDir, logger: this.logger, wire }, async part => { await this.startPart(part) })
      this.lineagePart = lineage
      // Trusted, like the keys service: it runs in this thread, called straight through WebAssembly.
      const formatter = formatterFromWasm(formatterWasm)
      const keystore = createKeystore({ log: this.logger.forComponent('lineage:keys') }, { dataDir: this.config.dataDir })
      // IPFS: bitswap on the host serves our blocks to any IPFS peer and fetches missing ones for
      // pins. An offline node has no host, so no bitswap, and pins need every block here.
      let bitswap: BitswapService | undefined
      if (this.p2pPart !== undefined) {
        const service = createBitswapService({
          libp2p: this.p2pPart.libp2p,
          blockstore,
          logger: this.logger,
          // Replication keeps the node's one list of peers that are cut off.
          onMisbehaviour: (peerId, why) => { this.replicationPart?.cutOff(peerId, why) },
          isHidden: (cid, bytes) => reveal.isHiddenBlock(cid, bytes),
        })
        // A peer may want a version before it is written; each new head goes to those waiting.
        const announce = ({ heads }: { heads: string[] }): void => {
          for (const head of heads) service.notify(CID.parse(head)).catch((err: unknown) => { this.log('could not announce %s: %e', head, err) })
        }
        await this.startPart({
          name: 'bitswap',
          start: async () => { await service.start(); lineage.on('applied', announce) },
          stop: async () => { lineage.off('applied', announce); await service.stop() },
        })
        bitswap = service
      }
      const pins = createPins({
        store,
        blockstore,
        log: this.logger.forComponent('lineage:pins'),
        ...(bitswap === undefined ? {} : { fetchBlock: async (cid, options) => await bitswap.want(cid, options) }),
      })
      const tokens = createTokens({ store, blockstore, keys: lineage, formatter, formatterId })
      const exporter = createExporter({ store, blockstore })
      this.exporterPart = exporter
      const importer = createNodeImporter({ store, blockstore, contracts, lineage, pins, logger: this.logger })
      await this.startPart({ name: 'import', start: () => { importer.start() }, stop: () => importer.stop() })
      this.importerPart = importer
      const bulkEdit = createBulkEditor({ db: store.db, lineage, log: this.logger.forComponent('lineage:bulk-edit') })
      await this.startPart({ name: 'bulk edit', start: () => { bulkEdit.start() }, stop: () => bulkEdit.stop() })

      // The Fluence peer speaks on the libp2p host, so an offline node has none.
      if (this.p2pPart !== undefined) {
        const { libp2p } = this.p2pPart
        const builtins = BUILTIN_CONTRACTS.map(id => ({ id, wasm: readService(this.config.servicesDir, id) }))
        const remoteCalls = new WaitingCallsGate(REMOTE_CALLS_WAITING_PER_CONTRACT, (id, limit) => new ContractCallsBusyError(id, limit))
        const fluence = createFluencePeer({
          libp2p,
          privateKey: this.identity.privateKey,
          logger: this.logger,
          // Fluence callers reach the same modules the node runs: our own in the Marine host, and
          // user-deployed contracts (untrusted) through the sandbox, with its budgets.
          marineServices: () => [
            { id: 'keys', wasm: readService(this.config.servicesDir, 'keys') },
            { id: 'formatter', wasm: readService(this.config.servicesDir, 'formatter') },
            ...builtins,
          ],
          deployedContracts: {
            ids: () => contracts.list().filter(c => !c.builtin).map(c => c.meta_contract_id),
            has: id => contracts.list().some(c => !c.builtin && c.meta_contract_id === id) && sandbox.has(id),
            call: async (id, fnName, args) => {
              // Peers sign nothing for these: a few may wait per contract, the rest are refused at once.
              const leave = remoteCalls.enter(id)
              try {
                return await sandbox.call(id, fnName, args as Parameters<typeof sandbox.call>[2])
              } finally {
                leave()
              }
            },
          },
          engine: { nodeInfo: () => { const i = this.info(); return { peer_id: i.peer_id, version: i.version, state: i.state, schema_version: i.schema_version, offline: i.offline } }, lineage, tokens: revealedTokens(tokens, reveal), pins },
          // Hidden tokens stay out of a copy unless the peer is one of the owner's own nodes (reveal on mint).
          exportCollection: async ({ path, chain_id, token_address, peer }) => {
            const omit = reveal.copyOmits(peer, cid => blockstore.getSync(cid))
            return await exporter.export({ path, tokenKey: lineage.tokenKey(chain_id, token_address), ...(omit === undefined ? {} : { omit }) })
          },
          importCar: async (path, options) => await importer.run((await importer.create({ source: path })).job, options),
        }, { aquaDir: this.config.aquaDir, marineThread: this.config.aquaVmThread, maxParticlesPerSecond: this.config.particleRateLimit, ...(this.config.relay === null ? {} : { relay: this.config.relay }) })
        await this.startPart({ name: 'fluence', start: () => fluence.start(), stop: () => fluence.stop() })
        this.fluencePart = fluence
      }

      // Remote pinning: our listen addresses go out as origins, and the service's delegates are
      // dialled on the host so it can fetch the blocks by bitswap; offline, neither.
      const p2p = this.p2pPart
      const remotePinning = createRemotePinning({
        store,
        secrets: createSecretVault({ dir: this.config.dataDir, ...(this.secretCipher === undefined ? {} : { cipher: this.secretCipher }) }),
        log: this.logger.forComponent('lineage:remote-pinning'),
        origins: () => p2p?.listenAddresses() ?? [],
        ...(p2p === undefined ? {} : { dial: async (address: string, options: { signal: AbortSignal }) => await p2p.libp2p.dial(dialTarget(multiaddr(address)), options) }),
      })
      await this.startPart({ name: 'remote pinning', start: () => { remotePinning.start() }, stop: () => remotePinning.stop() })

      // Findable on the IPFS network: CIDs provided on the DHT (when on), IPNS names of collections.
      const findable = createFindable({
        p2p: this.p2pPart,
        network: isLoopback(this.config.p2pHost) ? 'local' : 'public',
        db: store.db,
        blockstore,
        lineage,
        vault: createSecretVault({ dir: this.config.dataDir, ...(this.secretCipher === undefined ? {} : { cipher: this.secretCipher }) }),
        dataDir: this.config.dataDir,
        logger: this.logger,
      })
      await this.startPart({ name: 'findable', start: () => { findable.start() }, stop: () => findable.stop() })
      this.findablePart = findable

      // Replication follows collections (its own automatically) even offline, so a node that
      // comes online later knows what to sync; sync progress goes out with the API's job events.
      const replication = createReplication({ store, lineage, host: this.p2pPart, log: this.logger.forComponent('lineage:replication'), isHiddenTransaction: hash => reveal.hiddenByTransaction(hash) !== undefined }, {
        onSyncProgress: progress => { this.apiPart?.events.publish('lineage:sync:progress', progress) },
        onSyncFailed: ({ peer_id, token_key, error }) => {
          // As a call's error would be: a known failure in its public words, anything else as an internal error.
          const { code, message, data } = toRpcError(error)
          this.apiPart?.events.publish('lineage:sync:failed', { peer_id, token_key, error: data === undefined ? { code, message } : { code, message, data } })
        },
      })
      await this.startPart({ name: 'replication', start: () => replication.start(), stop: () => replication.stop() })
      this.replicationPart = replication

      // The chain watcher reads the owner's endpoints; offline, it connects to none (its settings still change).
      if (chain === undefined) throw new Error('the chain watcher was not made with the engine')
      const watcher = chain
      if (!this.config.offline) await this.startPart({ name: 'chain watcher', start: () => { watcher.start() }, stop: () => watcher.stop() })
      this.chainPart = watcher
      // Transactions the creator sends from the app; offline, the ones sent before wait for the next online start.
      const chainWriter = createChainWriter({ db: store.db, chain: watcher, keystore, log: this.logger.forComponent('lineage:chain-write') })
      if (!this.config.offline) await this.startPart({ name: 'chain writer', start: () => { chainWriter.start() }, stop: () => chainWriter.stop() })

      // Documents made by another formatter build are not served after an upgrade.
      const storedDocuments = createDocumentStore(store.db, { formatterId })
      const snapshots = createSnapshots({
        store, blockstore, lineage, formatter, documents: storedDocuments, pins, exporter, log: this.logger.forComponent('lineage:snapshots'),
        // Announced on the DHT at once; a collection's IPNS name moves to its newest snapshot.
        nameOf: cid => this.findablePart?.nameOf(cid),
        isHidden: (chainId, tokenAddress) => reveal.isCollectionHidden(chainId, tokenAddress),
        onCreated: snapshot => {
          this.findablePart?.snapshotCreated(snapshot).catch(err => { this.log('could not announce snapshot %s: %s', snapshot.root_cid, (err as Error).message) })
        },
      })
      this.snapshotsPart = snapshots
      const api = createApi({
        log: this.logger.forComponent('lineage:api'),
        nodeInfo: () => this.info(),
        peers: () => this.p2pPart?.connections() ?? [],
        fluence: () => this.fluencePart,
        lineage,
        blockstore,
        formatter,
        storedDocuments,
        dataVersion: () => store.dataVersion(),
        pins,
        importer,
        jobHistory: createJobHistory(store.db, job => importer.isRunning(job) || bulkEdit.isRunning(job)),
        bulkEdit,
        unlockKey: async (name, passphrase) => await keystore.unlock(name, passphrase),
        keystore,
        logs: this.logs,
        exporter,
        search: createSearch(store.db),
        browse: createBrowseParts(store, lineage),
        contracts,
        tokens,
        registry: createRegistry({ store, hasContract: id => sandbox.has(id), log: this.logger.forComponent('lineage:registry') }),
        remotePinning,
        replication,
        snapshots,
        blocks: createBlockReader({ blockstore, ...(bitswap === undefined ? {} : { bitswap }) }),
        discovery: () => ({ mdns: this.config.mdns, bootstrap: this.config.bootstrap }),
        ipns: findable.ipns,
        chain,
        chainWriter,
        cron: createCronReads(store.db, lineage),
        reveal,
      }, {
        host: this.config.rpcHost,
        port: this.config.rpcPort,
        uiDir: this.config.uiDir,
        token: apiToken,
        listener,
        uploadsDir: join(this.config.dataDir, UPLOADS_DIR),
        devUiOrigins: this.config.devUiOrigins,
        ...(this.config.gatewayHost === null
          ? {}
          : { publicGateway: { host: this.config.gatewayHost, port: this.config.gatewayPort, ratePerSecond: this.config.gatewayRatePerSecond, rateBurst: this.config.gatewayRateBurst, trustedProxies: this.config.trustedProxies } }),
      })
      await this.startPart({ name: 'api', start: () => api.start(), stop: () => api.stop() })
      this.apiPart = api

      // Stopped first: from then on the file says the node is stopping, until the removal above.
      await this.startPart({
        name: 'api file',
        start: () => { writeApiFile(this.config.dataDir, { ...announced, state: 'running' }) },
        stop: () => { writeApiFile(this.config.dataDir, { ...announced, state: 'stopping' }) },
      })
    } catch (err) {
      // Callers waiting on the socket hear why before it closes.
      this.listenerPart?.fail((err as Error).name === 'NodeStartCancelledError' ? 'it was stopped while starting.' : (err as Error).message)
      await this.unwind()
      this.state = 'stopped'
      throw err
    }
    this.startedAt = new Date()
    this.state = 'running'
    this.log('node %s running, API %s', this.identity.peerId, this.apiPart.url)
  }

  /** Between start steps: a stop() asked for meanwhile ends the start here (it then unwinds). */
  private checkStopRequested (): void {
    if (this.stopRequested) throw new NodeStartCancelledError()
  }

  async stop (): Promise<void> {
    if (this.state === 'stopped') return
    if (this.state === 'starting' && this.starting !== undefined) {
      // The start undoes what it did once its current step ends; its caller gets NodeStartCancelledError.
      this.stopRequested = true
      await this.starting.catch(() => {})
      return
    }
    if (this.state !== 'running') throw new NodeStateError('stop', this.state)
    this.state = 'stopping'
    await this.unwind()
    this.startedAt = null
    this.state = 'stopped'
    this.log('node stopped')
  }

  status (): NodeStatus {
    return {
      state: this.state,
      peerId: this.peerId,
      version: packageInfo().version,
      dataDir: this.config.dataDir,
      startedAt: this.startedAt,
      uptimeMs: this.startedAt === null ? 0 : Date.now() - this.startedAt.getTime(),
      schemaVersion: this.storePart?.isStarted() === true ? this.storePart.schemaVersion : 0,
      offline: this.config.offline,
      apiUrl: this.apiUrl(),
      apiPortWasBusy: this.apiPart?.portWasBusy ?? this.listenerPart?.portWasBusy ?? false,
      publicGatewayUrl: this.apiPart?.publicUrl ?? null,
      listenAddresses: this.p2pPart?.listenAddresses() ?? [],
      connections: this.p2pPart?.connections().length ?? 0,
      p2pPortsWereBusy: this.p2pPart?.portsWereBusy ?? false,
      fluence: this.fluencePart?.isStarted() === true ? this.fluencePart.status() : null,
      reachability: this.p2pPart?.isStarted() === true ? this.p2pPart.reachability() : noHostReachability(),
    }
  }

  /** The status in the API's shape (snake_case, JSON-friendly). */
  info (): NodeInfo {
    const s = this.status()
    return {
      peer_id: s.peerId ?? '',
      version: s.version,
      state: s.state,
      data_dir: s.dataDir,
      started_at: s.startedAt?.toISOString() ?? null,
      uptime_ms: s.uptimeMs,
      schema_version: s.schemaVersion,
      offline: s.offline,
      api_url: s.apiUrl,
      public_gateway_url: s.publicGatewayUrl,
      p2p: this.p2pPart?.isStarted() === true ? { listen_addresses: s.listenAddresses, connections: s.connections } : null,
      fluence: s.fluence,
      stats: this.storePart?.isStarted() === true ? ledgerReads(this.storePart.db).stats() : null,
      data_dir_warnings: [...this.dataDirWarnings],
      dht: this.findablePart?.info() ?? null,
      reachability: s.reachability,
    }
  }

  /** The API's base URL: the API app's once it runs, the socket's while the node starts. */
  private apiUrl (): string | null {
    if (this.apiPart !== undefined) return this.apiPart.url
    const port = this.listenerPart?.port ?? null
    if (port === null) return null
    const host = this.config.rpcHost.includes(':') ? `[${this.config.rpcHost}]` : this.config.rpcHost
    return `http://${host}:${port}`
  }

  private async startPart (part: Part): Promise<void> {
    await this.parts.start(part)
    this.checkStopRequested()
  }

  private async unwind (): Promise<void> {
    await this.parts.unwind()
    this.apiPart = undefined
    this.p2pPart = undefined
    this.fluencePart = undefined
    this.lineagePart = undefined
    this.replicationPart = undefined
    this.importerPart = undefined
    this.exporterPart = undefined
    this.findablePart = undefined
    this.snapshotsPart = undefined
    this.chainPart = undefined
    this.listenerPart = undefined
    this.storePart = undefined
  }
}

/** What a node without a libp2p host says, as p2p's offlineReachability() (whose module loads libp2p). */
function noHostReachability (): Reachability {
  return { status: 'offline', public_addresses: [], relay_addresses: [], relay_service: false, relays: [] }
}
