/**
 * The one place that reaches into @fluencelabs/js-client 0.9.0's dist. Those files are outside
 * the package's `exports` map (only `.` and `./keypair`), so they are imported by URL, resolved
 * relative to the package entry. That makes them the same module instances the public entry
 * uses, so the Aqua-generated `v5_callFunction` / `v5_registerService` (which check
 * `instanceof FluencePeer`) accept our peer. The types below describe only what we use.
 */
import { createRequire } from 'node:module'

/** A particle as js-client holds it. */
export interface Particle {
  readonly id: string
  readonly timestamp: number
  readonly script: string
  readonly data: Uint8Array
  readonly ttl: number
  readonly initPeerId: string
  readonly signature: Uint8Array
}

export interface ParticleClass {
  new (id: string, timestamp: number, script: string, data: Uint8Array, ttl: number, initPeerId: string, signature: Uint8Array): Particle
  createNew(script: string, initPeerId: string, ttl: number, keyPair: KeyPair, id?: string, timestamp?: number, data?: Uint8Array): Promise<Particle>
  /** js-client's own decoder (msgpack with binary fields only). */
  deserialize(bytes: Uint8Array): Particle
}

export interface KeyPair {
  getPeerId(): string
  signBytes(data: Uint8Array): Promise<Uint8Array>
}

export interface KeyPairClass {
  fromEd25519SK(seed: Uint8Array): Promise<KeyPair>
  randomEd25519(): Promise<KeyPair>
}

/** marine-js in its worker: AquaVM is the service "avm". */
export interface MarineHost {
  start(): Promise<void>
  stop(): Promise<void>
  createService(wasm: ArrayBuffer | Uint8Array, serviceId: string): Promise<void>
  hasService(serviceId: string): Promise<boolean>
  removeService(serviceId: string): Promise<void>
  callService(serviceId: string, fn: string, args: unknown[], callParams?: unknown): Promise<unknown>
}

export interface MarineHostClass {
  new (marineJsWasm: ArrayBuffer, avmWasm: ArrayBuffer, worker: unknown): MarineHost
}

export interface Observer<T> { next(value: T): void }
export interface Subscription { unsubscribe(): void }
export interface Subscribable<T> { subscribe(observer: Observer<T>): Subscription }

/** What FluencePeer calls on its connection (js-client `IConnection`). */
export interface PeerConnection {
  particleSource: Subscribable<Particle>
  start(): Promise<void>
  stop(): Promise<void>
  sendParticle(nextPeerIds: string[], particle: Particle): Promise<void>
  getRelayPeerId(): string
  supportsRelay(): boolean
}

export interface PeerConfig {
  debug: { printParticleId: boolean }
  defaultTtlMs: number
}

/** One queued particle of FluencePeer's pipeline. */
export interface ParticleQueueItem {
  particle: Particle
  callResults: unknown[]
  onSuccess(result: unknown): void
  onError(error: Error): void
  fireAndForget?: boolean
}

/** A service call AquaVM asked for. */
export interface CallServiceRequest {
  serviceId: string
  fnName: string
  args: unknown[]
  tetraplets: unknown[]
  particleContext: { particleId: string, initPeerId: string, timestamp: number, ttl: number, signature: Uint8Array }
}

export interface CallServiceResult {
  retCode: number
  result: unknown
}

export interface JsServiceHost {
  hasService(serviceId: string): boolean
  /** null when no handler (global or for this particle) has that service and function. */
  callService(request: CallServiceRequest): Promise<CallServiceResult | null>
}

/** The parts of FluencePeer (a class, not abstract) that we use or override. */
export interface FluencePeer {
  readonly connection: PeerConnection
  readonly marineHost: MarineHost
  readonly jsServiceHost: JsServiceHost
  readonly config: PeerConfig
  timeouts: Record<string, ReturnType<typeof setTimeout>>
  _incomingParticles: { next(item: ParticleQueueItem): void, pipe(...ops: unknown[]): unknown }
  _particleSourceSubscription: Subscription | undefined
  _incomingParticlePromise: Promise<unknown> | undefined
  isInitialized: boolean
  start(): Promise<void>
  stop(): Promise<void>
  getPeerId(): string
  registerMarineService(wasm: Uint8Array, serviceId: string): Promise<void>
  removeMarineService(serviceId: string): Promise<void>
  startParticleProcessing(): void
  mapParticleGroup(group: unknown): unknown
  expireParticle(item: ParticleQueueItem): void
  execCallRequest(request: CallServiceRequest): Promise<CallServiceResult>
}

export type FluencePeerClass = new (config: PeerConfig, keyPair: KeyPair, marineHost: MarineHost, jsServiceHost: JsServiceHost, connection: PeerConnection) => FluencePeer

type Operator = (source: unknown) => unknown
/** The rxjs operators the leak-free pipeline needs, from js-client's own copy of rxjs. */
export interface Rxjs {
  filter<T>(predicate: (item: T) => boolean): Operator
  groupBy<T>(key: (item: T) => string, options: { duration: (group: GroupedObservable<T>) => unknown }): Operator
  mergeMap<T>(project: (item: T) => unknown): Operator
  tap<T>(fn: (item: T) => void): Operator
  take(n: number): Operator
  timer(ms: number): unknown
  lastValueFrom<T>(source: unknown, config: { defaultValue: T }): Promise<T>
}

export interface GroupedObservable<T> {
  readonly key: string
  pipe(...ops: Operator[]): unknown
  /** Typed only so the generic is used. */
  readonly _item?: T
}

export interface JsClientInternals {
  FluencePeer: FluencePeerClass
  JsServiceHost: new () => JsServiceHost
  MarineBackgroundRunner: MarineHostClass
  loadMarineDeps(cdnUrl: string): Promise<[ArrayBuffer, ArrayBuffer, unknown]>
  Particle: ParticleClass
  KeyPair: KeyPairClass
  /** js-client's own encoder: msgpack, with data and signature as arrays of numbers. */
  serializeParticle(particle: Particle): Uint8Array
  /** js-client's signing bytes. */
  buildParticleMessage(fields: Pick<Particle, 'id' | 'timestamp' | 'ttl' | 'script'>): Uint8Array
  rxjs: Rxjs
}

/**
 * The marine worker (@fluencelabs/threads) adds one 'message' listener per call in flight, and
 * Node warns past 10. Each is removed when its call answers, so lift the limit on that Worker.
 */
export function allowConcurrentWorkerCalls (workerThread: unknown, limit: number): void {
  if (typeof workerThread !== 'object' || workerThread === null) return
  for (const symbol of Object.getOwnPropertySymbols(workerThread)) {
    if (symbol.description !== 'thread.worker') continue
    const worker = (workerThread as Record<symbol, unknown>)[symbol] as { setMaxListeners?: (n: number) => void } | undefined
    worker?.setMaxListeners?.(limit)
  }
}

let loading: Promise<JsClientInternals> | undefined

/**
 * Loads js-client's internals once (about a second: it pulls libp2p 1.x, AquaVM glue and rxjs).
 * Nothing is loaded until the first call, so an offline node never pays for it.
 */
export async function loadJsClient (): Promise<JsClientInternals> {
  loading ??= load()
  return await loading
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM'] as const

async function load (): Promise<JsClientInternals> {
  // @fluencelabs/threads, imported with the worker module, adds SIGINT/SIGTERM handlers that call
  // process.exit(0) once its workers end. That races the node's own orderly stop (which then never
  // closes the store or removes api.json), so the handlers it adds are taken off again: the node
  // stops its worker itself.
  const before = new Map(EXIT_SIGNALS.map(signal => [signal, new Set(process.listeners(signal))]))
  try {
    return await importInternals()
  } finally {
    for (const signal of EXIT_SIGNALS) {
      for (const listener of process.listeners(signal)) if (before.get(signal)?.has(listener) !== true) process.off(signal, listener)
    }
  }
}

async function importInternals (): Promise<JsClientInternals> {
  // import.meta.resolve honours the exports map: '.' → …/js-client/dist/index.js
  const entry = import.meta.resolve('@fluencelabs/js-client')
  const at = async (rel: string): Promise<Record<string, unknown>> => await import(new URL(rel, entry).href) as Record<string, unknown>
  const [peer, host, loader, worker, particle, keypair] = await Promise.all([
    at('./jsPeer/FluencePeer.js'),
    at('./jsServiceHost/JsServiceHost.js'),
    at('./marine/loader.js'),
    at('./marine/worker/index.js'),
    at('./particle/Particle.js'),
    at('./keypair/index.js'),
  ])
  // rxjs exactly as FluencePeer.js resolves it (its "node" condition points at the CJS build).
  const rxjs = createRequire(new URL(entry))('rxjs') as Rxjs
  return {
    FluencePeer: peer.FluencePeer as FluencePeerClass,
    JsServiceHost: host.JsServiceHost as new () => JsServiceHost,
    MarineBackgroundRunner: worker.MarineBackgroundRunner as MarineHostClass,
    loadMarineDeps: loader.loadMarineDeps as JsClientInternals['loadMarineDeps'],
    Particle: particle.Particle as ParticleClass,
    serializeParticle: particle.serializeParticle as JsClientInternals['serializeParticle'],
    buildParticleMessage: particle.buildParticleMessage as JsClientInternals['buildParticleMessage'],
    KeyPair: keypair.KeyPair as KeyPairClass,
    rxjs,
  }
}
