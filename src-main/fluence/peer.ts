import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { ComponentLogger, Logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { ImportReport } from '../lineage/import/index.js'
import { loadAquaApi } from './aqua.js'
import type { AquaApi } from './aqua.js'
import type { LineageAqua } from './aqua-types.js'
import { ParticleConnection } from './connection.js'
import type { ParticleConnectionStats } from './connection.js'
import { MAX_WORKER_CALLS_IN_FLIGHT, DEFAULT_PARTICLE_TTL_MS, ENGINE_SERVICE_ID, COPY_SERVICE_ID, NODE_SERVICE_ID, RESERVED_SERVICE_IDS } from './constants.js'
import { CopySessions, fetchCollection } from './copy.js'
import type { CopyProgress, ExportCollection } from './copy.js'
import { createEngineServices } from './engine-services.js'
import type { EngineServicesComponents } from './engine-services.js'
import { CopySessionError, CopyVerificationError, FluenceIdentityError, FluenceNotStartedError, PeerAddressError, RemoteCallError } from './errors.js'
import { allowConcurrentWorkerCalls, loadJsClient } from './internals.js'
import type { JsClientInternals, MarineHost } from './internals.js'
import { InThreadMarineHost } from './marine-host.js'
import { HeldParticles } from './held-particles.js'
import { defineLeakFreePeer } from './leak-free-peer.js'
import type { LeakFreePeer, MarineServiceIds } from './leak-free-peer.js'
import { dialTarget } from '../p2p/index.js'
import { RelayLink, relayPeerIdOf } from './relay.js'
import type { RelayStatus } from './relay.js'

export interface MarineServiceModule { id: string, wasm: Uint8Array }

export interface FluencePeerComponents {
  /** The node's started libp2p host; the peer speaks /fluence/particle/2.0.0 on it. */
  libp2p: Libp2p
  /** The node's identity (Ed25519): the Fluence peer id is the libp2p peer id. */
  privateKey: PrivateKey
  logger: ComponentLogger
  /** Trusted Marine services hosted in the peer's Marine host: keys, formatter, the built-in contracts. */
  marineServices(): MarineServiceModule[]
  /**
   * User-deployed contracts (untrusted), served to Aqua callers through the node's contract
   * sandbox with its time and memory budgets, so a hostile module cannot stall AquaVM.
   */
  deployedContracts?: { ids(): string[], has(id: string): boolean, call(id: string, fnName: string, args: unknown[]): Promise<unknown> }
  /** What the engine's JS services read and publish through. */
  engine: EngineServicesComponents
  /** Writes a collection's CAR, for peers copying it. */
  exportCollection: ExportCollection
  /** Imports a verified CAR file (blocks, then the signed transactions replayed). */
  importCar(path: string, options?: { signal?: AbortSignal }): Promise<ImportReport>
}

export interface FluencePeerInit {
  /** The compiled Aqua API (dist/aqua). */
  aquaDir: string
  /** An external relay's multiaddr (ending in /p2p/<id>) to join an existing network through. */
  relay?: string
  defaultTtlMs?: number
  /**
   * Where AquaVM and the trusted Marine services run: 'main' (this thread, the default: an Aqua
   * call no longer pays a worker round trip per AquaVM run) or 'worker' (js-client's own worker).
   */
  marineThread?: 'main' | 'worker'
  /** Particles a second each peer may send (MAX_PARTICLES_PER_SECOND_PER_PEER by default); 0 for no limit. */
  maxParticlesPerSecond?: number
}

export interface FluenceStatus {
  peer_id: string
  /** Marine services this peer hosts (Wasm), then its engine services (JS). */
  services: { marine: string[], js: string[] }
  /** Peers with an open libp2p connection. */
  connected_peers: string[]
  relay: RelayStatus | null
  particles: ParticleConnectionStats & {
    /** Particles whose processing state is still held (until their TTL). */
    in_flight: number
    /** AquaVM runs finished since start (a call takes several). */
    avm_runs: number
  }
}

export interface CopyCollectionResult {
  peer_id: string
  roots: string[]
  /** Blocks received, each checked against its CID before anything was stored. */
  blocks: number
  bytes: number
  import: ImportReport
}

/** A peer address: a peer id, or a multiaddr ending in /p2p/<peer id> (dialled first). */
export type PeerAddress = string

export interface Fluence {
  start(): Promise<void>
  stop(): Promise<void>
  isStarted(): boolean
  status(): FluenceStatus
  /** Dials a multiaddr and returns its peer id; a dial that fails is RemoteCallError. */
  connect(address: PeerAddress): Promise<string>
  /** The Aqua API to call `peerId` with: direct when connected, through the relay otherwise. */
  api(peerId: string): LineageAqua
  /** The peer to pass to the Aqua API's functions, once made (by `loaded()`, a call or a particle). */
  readonly peer: LeakFreePeer
  /** The peer, made now if it was not yet: js-client and AquaVM load on first use, not at start. */
  loaded(): Promise<LeakFreePeer>
  /** Resolves an address (dialling a multiaddr) to a peer id and the Aqua variant to reach it with. */
  resolve(address: PeerAddress): Promise<{ peerId: string, aqua: LineageAqua }>
  /** One Aqua call to `address`; a failure (unreachable, timeout, an error from its service) becomes RemoteCallError. */
  call<T>(address: PeerAddress, fn: (aqua: LineageAqua, peerId: string) => Promise<T>): Promise<{ peerId: string, result: T }>
  /** Copies a collection from a peer: every block checked against its CID, then imported here. */
  copyCollection(address: PeerAddress, collection: { chain_id: string, token_address: string }, options?: { signal?: AbortSignal, onProgress?(p: CopyProgress): void }): Promise<CopyCollectionResult>
}

/** What listens from the start: the particle protocol and the relay link, no js-client. */
interface Listening {
  connection: ParticleConnection
  held: HeldParticles
  relay: RelayLink | undefined
  /** The trusted Marine services the peer hosts once made. */
  marine: string[]
}

/** The js-client peer, made on first use. */
interface Running {
  peer: LeakFreePeer
  aqua: AquaApi
  copies: CopySessions
}

/** The Marine host, counting finished AquaVM runs (how the node knows its particle backlog has drained). */
function countAvmRuns (host: MarineHost, counter: { runs: number }): MarineHost {
  return {
    start: async () => { await host.start() },
    stop: async () => { await host.stop() },
    createService: async (wasm, id) => { await host.createService(wasm, id) },
    hasService: async id => await host.hasService(id),
    removeService: async id => { await host.removeService(id) },
    callService: async (id, fn, args, callParams) => {
      try {
        return await host.callService(id, fn, args, callParams)
      } finally {
        if (id === 'avm') counter.runs++
      }
    },
  }
}

/** js-client rejects with Errors, strings or AquaVM's error objects. */
function remoteMessage (err: unknown): string {
  if (err instanceof Error) return err.message
  if (typeof err === 'string') return err
  return JSON.stringify(err)
}

class EmbeddedFluencePeer implements Fluence {
  private listening: Listening | undefined
  private running: Running | undefined
  private making: Promise<Running> | undefined
  private readonly log: Logger
  private readonly avm = { runs: 0 }

  constructor (private readonly components: FluencePeerComponents, private readonly init: FluencePeerInit) {
    this.log = components.logger.forComponent('lineage:fluence')
  }

  private get live (): Running {
    if (this.running === undefined) throw new FluenceNotStartedError()
    return this.running
  }

  get peer (): LeakFreePeer { return this.live.peer }
  isStarted (): boolean { return this.listening !== undefined }

  /**
   * Listens for particles and keeps the relay link; the js-client peer that runs them (js-client,
   * AquaVM and the hosted Marine services) is made on the first particle or call, so an idle node
   * never loads it.
   */
  async start (): Promise<void> {
    if (this.listening !== undefined) return
    const { libp2p, privateKey } = this.components
    if (privateKey.type !== 'Ed25519') throw new FluenceIdentityError(`the node's identity is ${privateKey.type}; a Fluence peer needs Ed25519`)
    const relay = this.init.relay === undefined ? undefined : new RelayLink({ libp2p, log: this.log }, this.init.relay)
    const connection = new ParticleConnection({ libp2p, log: this.log }, { relayPeerId: () => relay?.peerId, ...(this.init.maxParticlesPerSecond === undefined ? {} : { maxParticlesPerSecond: this.init.maxParticlesPerSecond }) })
    const held: HeldParticles = new HeldParticles(connection, () => {
      this.loaded().catch((err: unknown) => {
        held.drop()
        this.log.error('the Fluence peer could not be made for an incoming particle: %e', err)
      })
    })
    const marine = this.components.marineServices().map(s => s.id).filter(id => !RESERVED_SERVICE_IDS.has(id) || ['keys', 'formatter'].includes(id))
    await connection.start()
    this.listening = { connection, held, relay, marine }
    relay?.start()
    this.log('Fluence peer %s listening; it will host %s', libp2p.peerId.toString(), marine.join(', '))
  }

  async loaded (): Promise<LeakFreePeer> {
    if (this.running !== undefined) return this.running.peer
    this.making ??= this.make().finally(() => { this.making = undefined })
    return (await this.making).peer
  }

  async stop (): Promise<void> {
    const listening = this.listening
    if (listening === undefined) return
    this.listening = undefined
    listening.relay?.stop()
    const running = this.running ?? await this.making?.catch(() => undefined)
    this.running = undefined
    if (running !== undefined) {
      running.copies.clear()
      await running.peer.stop()
    }
    await listening.connection.stop()
  }

  status (): FluenceStatus {
    const listening = this.listening
    if (listening === undefined) throw new FluenceNotStartedError()
    const { connection, relay, marine } = listening
    const connected = new Set(this.components.libp2p.getConnections().map(c => c.remotePeer.toString()))
    return {
      peer_id: this.components.libp2p.peerId.toString(),
      services: { marine: [...new Set([...marine, ...(this.components.deployedContracts?.ids() ?? [])])].sort(), js: [NODE_SERVICE_ID, ENGINE_SERVICE_ID, COPY_SERVICE_ID] },
      connected_peers: [...connected].sort(),
      relay: relay?.status() ?? null,
      particles: { ...connection.stats, in_flight: (this.running?.peer.inFlight() ?? 0) + listening.held.waiting, avm_runs: this.avm.runs },
    }
  }

  /** Makes the js-client peer over the listening connection, and hands it the particles held meanwhile. */
  private async make (): Promise<Running> {
    const listening = this.listening
    if (listening === undefined) throw new FluenceNotStartedError()
    const { libp2p, privateKey } = this.components
    const [js, aqua] = await Promise.all([loadJsClient(), loadAquaApi(this.init.aquaDir)])
    if (this.listening !== listening) throw new FluenceNotStartedError()
    // libp2p's Ed25519 raw key is seed ‖ public key; js-client's KeyPair wants the 32-byte seed.
    const keyPair = await js.KeyPair.fromEd25519SK(privateKey.raw.subarray(0, 32))
    if (keyPair.getPeerId() !== libp2p.peerId.toString()) throw new FluenceIdentityError('js-client derived another peer id from the node key')
    const marineHost = countAvmRuns(await this.marineHost(js), this.avm)
    const marine = new Set<string>()
    const LeakFreePeer = defineLeakFreePeer(js)
    const peer: LeakFreePeer = new LeakFreePeer({ debug: { printParticleId: false }, defaultTtlMs: this.init.defaultTtlMs ?? DEFAULT_PARTICLE_TTL_MS }, keyPair, marineHost, new js.JsServiceHost(), listening.held, this.marineIds(marine))
    await peer.start()
    try {
      for (const { id, wasm } of this.components.marineServices()) await this.hostMarine(peer, marine, id, wasm)
      const copies = new CopySessions(this.components.exportCollection)
      const { node, engine } = createEngineServices(this.components.engine)
      aqua.direct.registerLineageNode(peer, node)
      aqua.direct.registerLineage(peer, engine)
      aqua.direct.registerLineageCopy(peer, copies)
      // Stopped while this loaded: the peer goes with it.
      if (this.listening !== listening) throw new FluenceNotStartedError()
      this.running = { peer, aqua, copies }
    } catch (err) {
      await peer.stop()
      throw err
    }
    // Every service is in place: the particles held meanwhile run now, in arrival order.
    listening.held.open()
    this.log('Fluence peer %s made, hosting %s', peer.getPeerId(), [...marine].join(', '))
    return this.running
  }

  async connect (address: PeerAddress): Promise<string> {
    const id = relayPeerIdOf(address)
    try {
      await this.components.libp2p.dial(dialTarget(multiaddr(address)))
    } catch (err) {
      // Refused, unreachable, no address, or this node itself: the peer cannot be reached there.
      throw new RemoteCallError(`could not connect to ${address}: ${remoteMessage(err)}`)
    }
    return id
  }

  api (peerId: string): LineageAqua {
    const { aqua } = this.live
    const relay = this.listening?.relay
    if (relay === undefined || peerId === relay.peerId) return aqua.direct
    return this.components.libp2p.getConnections(peerIdFromString(peerId)).length > 0 ? aqua.direct : aqua.relay
  }

  async resolve (address: PeerAddress): Promise<{ peerId: string, aqua: LineageAqua }> {
    await this.loaded()
    let peerId: string
    if (address.startsWith('/')) {
      peerId = await this.connect(address)
    } else {
      try {
        peerId = peerIdFromString(address).toString()
      } catch {
        throw new PeerAddressError(address)
      }
    }
    return { peerId, aqua: this.api(peerId) }
  }

  async call<T> (address: PeerAddress, fn: (aqua: LineageAqua, peerId: string) => Promise<T>): Promise<{ peerId: string, result: T }> {
    const { peerId, aqua } = await this.resolve(address)
    try {
      return { peerId, result: await fn(aqua, peerId) }
    } catch (err) {
      throw new RemoteCallError(`the call to ${peerId} failed: ${remoteMessage(err)}`)
    }
  }

  async copyCollection (address: PeerAddress, collection: { chain_id: string, token_address: string }, options: { signal?: AbortSignal, onProgress?(p: CopyProgress): void } = {}): Promise<CopyCollectionResult> {
    const { peerId, aqua } = await this.resolve(address)
    let fetched
    try {
      fetched = await fetchCollection(aqua, this.live.peer, peerId, collection, options)
    } catch (err) {
      if (err instanceof CopyVerificationError || err instanceof CopySessionError) throw err
      throw new RemoteCallError(`copying from ${peerId} failed: ${remoteMessage(err)}`)
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-copy-'))
    try {
      const file = path.join(dir, 'collection.car')
      fs.writeFileSync(file, fetched.car)
      const report = await this.components.importCar(file, options.signal === undefined ? {} : { signal: options.signal })
      return { peer_id: peerId, roots: fetched.roots, blocks: fetched.blocks, bytes: fetched.car.length, import: report }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }

  private async marineHost (js: JsClientInternals): Promise<MarineHost> {
    if ((this.init.marineThread ?? 'main') === 'main') {
      return new InThreadMarineHost()
    }
    const [marineJsWasm, avmWasm, worker] = await js.loadMarineDeps('/') // in Node it reads node_modules; the URL is unused
    allowConcurrentWorkerCalls(worker, MAX_WORKER_CALLS_IN_FLIGHT)
    return new js.MarineBackgroundRunner(marineJsWasm, avmWasm, worker)
  }

  /** Hosts a Wasm module as a Marine service, unless its id is reserved. */
  private async hostMarine (peer: LeakFreePeer, marine: Set<string>, id: string, wasm: Uint8Array): Promise<boolean> {
    if (marine.has(id)) return true
    if (RESERVED_SERVICE_IDS.has(id) && !['keys', 'formatter'].includes(id)) {
      this.log.error('not hosting contract "%s" as a Marine service: that service id is reserved', id)
      return false
    }
    await peer.registerMarineService(wasm, id)
    marine.add(id)
    return true
  }

  private marineIds (marine: Set<string>): MarineServiceIds {
    const deployed = this.components.deployedContracts
    return {
      has: id => marine.has(id),
      // Trusted modules are all hosted at start; nothing else is ever loaded into the Marine host.
      resolve: async id => marine.has(id),
      ...(deployed === undefined
        ? {}
        : { sandboxed: { has: id => !RESERVED_SERVICE_IDS.has(id) && !marine.has(id) && deployed.has(id), call: async (id, fn, args) => await deployed.call(id, fn, args) } }),
    }
  }
}

export function createFluencePeer (components: FluencePeerComponents, init: FluencePeerInit): Fluence {
  return new EmbeddedFluencePeer(components, init)
}
