import type { Logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { DHT_FIRST_REPROVIDE_DELAY_MS, DHT_RETRY_DELAY_MS, DHT_MAX_PROVIDED_CIDS, DHT_PROVIDE_BATCH, DHT_PROVIDE_CONCURRENCY, DHT_PROVIDE_QUEUE_MAX, DHT_PROVIDE_TIMEOUT_MS, DHT_REPROVIDE_INTERVAL_MS } from './constants.js'

/** What the provider needs of the DHT: announce one CID (resolving to how many peers stored the record), and forget one. */
export interface ContentAnnouncer {
  provide(cid: CID, options: { signal: AbortSignal }): Promise<number>
  cancelReprovide(cid: CID): Promise<void>
  /** Whether the DHT knows any peer: without one every walk would only wait for its timeout. */
  ready?(): boolean
}

export interface ProviderComponents {
  announcer: ContentAnnouncer
  /**
   * The CIDs one run announces, in priority order, at most `limit`, `batch` at a time (policy:
   * candidates.ts). Read lazily so a run of thousands never holds more than a batch of rows.
   */
  candidates(limit: number, batch: number): Iterable<string[]>
  log: Logger
}

export interface ProviderInit {
  reprovideIntervalMs?: number
  firstReprovideDelayMs?: number
  retryDelayMs?: number
  concurrency?: number
  maxProvidedCids?: number
  batch?: number
  queueMax?: number
  provideTimeoutMs?: number
}

export interface ProviderStats {
  /** Distinct CIDs announced to at least one DHT peer and still provided. */
  provided: number
  /** ISO time the last full run finished; null before the first. */
  last_reprovide_at: string | null
  /** A full run is under way. */
  reproviding: boolean
  /** New CIDs waiting to be announced. */
  queued: number
  /** Announcements that reached no DHT peer or failed, since start. */
  failed: number
}

export interface ReprovideProgress {
  done: number
  provided: number
  /** Why the run ended before its last candidate: no DHT peer, or a whole batch reached nobody. Retried after DHT_RETRY_DELAY_MS. */
  stopped?: 'no-dht-peers' | 'unreachable'
}

export interface Provider {
  start(): void
  stop(): Promise<void>
  /** Announces one CID soon (a new collection head, a new snapshot root): queued, bounded, never throws. */
  provide(cid: CID | string): void
  /** `provide` for each. */
  announce(cids: Iterable<CID | string>): void
  /** Runs a full reprovide now (the timer runs one every interval); resolves with what it announced. */
  reprovide(options?: { signal?: AbortSignal, onProgress?(progress: ReprovideProgress): void }): Promise<ReprovideProgress>
  stats(): ProviderStats
}

function toCid (value: CID | string): CID | undefined {
  if (typeof value !== 'string') return value
  try {
    return CID.parse(value)
  } catch {
    return undefined
  }
}

/**
 * Keeps the node's chosen CIDs announced on the DHT: new ones as they appear (queued, a few at a
 * time), and all of them again every DHT_REPROVIDE_INTERVAL_MS (the candidates, in batches). A CID
 * that left the candidates since the last run is cancelled, so kad-dht's own reprovider does not
 * keep announcing an old head. Stopping aborts the walks in flight.
 */
class DhtProvider implements Provider {
  private readonly settings: Required<ProviderInit>
  private readonly provided = new Set<string>()
  private readonly queue: string[] = []
  private running = 0
  private failures = 0
  private lastRun: Date | null = null
  private run: Promise<ReprovideProgress> | undefined
  private timer: NodeJS.Timeout | undefined
  private controller: AbortController | undefined

  constructor (private readonly components: ProviderComponents, init: ProviderInit) {
    this.settings = {
      reprovideIntervalMs: init.reprovideIntervalMs ?? DHT_REPROVIDE_INTERVAL_MS,
      firstReprovideDelayMs: init.firstReprovideDelayMs ?? DHT_FIRST_REPROVIDE_DELAY_MS,
      retryDelayMs: init.retryDelayMs ?? DHT_RETRY_DELAY_MS,
      concurrency: init.concurrency ?? DHT_PROVIDE_CONCURRENCY,
      maxProvidedCids: init.maxProvidedCids ?? DHT_MAX_PROVIDED_CIDS,
      batch: init.batch ?? DHT_PROVIDE_BATCH,
      queueMax: init.queueMax ?? DHT_PROVIDE_QUEUE_MAX,
      provideTimeoutMs: init.provideTimeoutMs ?? DHT_PROVIDE_TIMEOUT_MS,
    }
  }

  start (): void {
    if (this.controller !== undefined) return
    this.controller = new AbortController()
    this.schedule(this.settings.firstReprovideDelayMs)
  }

  async stop (): Promise<void> {
    const controller = this.controller
    if (controller === undefined) return
    this.controller = undefined
    clearTimeout(this.timer)
    this.queue.length = 0
    controller.abort()
    await this.run?.catch(() => {})
  }

  provide (value: CID | string): void {
    const cid = toCid(value)
    if (cid === undefined || this.controller === undefined) return
    const key = cid.toV1().toString()
    if (this.queue.includes(key)) return
    if (this.queue.length >= this.settings.queueMax) {
      this.components.log('provide queue full: %s waits for the next reprovide', key)
      return
    }
    this.queue.push(key)
    this.drain()
  }

  announce (cids: Iterable<CID | string>): void {
    for (const cid of cids) this.provide(cid)
  }

  async reprovide (options: { signal?: AbortSignal, onProgress?(progress: ReprovideProgress): void } = {}): Promise<ReprovideProgress> {
    if (this.run !== undefined) return await this.run
    const run = this.fullRun(options).finally(() => { this.run = undefined })
    this.run = run
    return await run
  }

  stats (): ProviderStats {
    return {
      provided: this.provided.size,
      last_reprovide_at: this.lastRun?.toISOString() ?? null,
      reproviding: this.run !== undefined,
      queued: this.queue.length,
      failed: this.failures,
    }
  }

  private schedule (delay: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      let next = this.settings.reprovideIntervalMs
      this.reprovide()
        .then(progress => { if (progress.stopped !== undefined) next = this.settings.retryDelayMs })
        .catch((err: unknown) => { this.components.log.error('reprovide failed: %e', err) })
        .finally(() => { if (this.controller !== undefined) this.schedule(next) })
    }, delay)
    this.timer.unref()
  }

  /** Announces queued CIDs, at most `concurrency` at once across the queue and a full run. */
  private drain (): void {
    while (this.running < this.settings.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string
      this.running++
      void this.announceOne(key).finally(() => { this.running--; this.drain() })
    }
  }

  /** True when at least one DHT peer stored our provider record. */
  private async announceOne (key: string): Promise<boolean> {
    const stop = this.controller?.signal
    if (stop === undefined || stop.aborted) return false
    const signal = AbortSignal.any([stop, AbortSignal.timeout(this.settings.provideTimeoutMs)])
    try {
      const peers = await this.components.announcer.provide(CID.parse(key), { signal })
      if (peers > 0) {
        this.provided.add(key)
        return true
      }
      this.failures++
      this.components.log('no DHT peer took the provider record of %s', key)
    } catch (err) {
      if (!stop.aborted) {
        this.failures++
        this.components.log('could not provide %s: %s', key, (err as Error).message)
      }
    }
    return false
  }

  private async fullRun (options: { signal?: AbortSignal, onProgress?(progress: ReprovideProgress): void }): Promise<ReprovideProgress> {
    const stop = this.controller?.signal
    if (stop === undefined) return { done: 0, provided: 0 }
    const signal = options.signal === undefined ? stop : AbortSignal.any([stop, options.signal])
    const wanted = new Set<string>()
    const progress: ReprovideProgress = { done: 0, provided: 0 }
    // Offline from the DHT, thousands of walks would each wait out their timeout: try again soon instead.
    if (this.components.announcer.ready?.() === false) return { ...progress, stopped: 'no-dht-peers' }
    for (const batch of this.components.candidates(this.settings.maxProvidedCids, this.settings.batch)) {
      if (signal.aborted) break
      const before = progress.provided
      const keys = batch.flatMap(text => { const cid = toCid(text); return cid === undefined ? [] : [cid.toV1().toString()] }).filter(key => !wanted.has(key))
      for (const key of keys) wanted.add(key)
      // A pool of `concurrency` walks over the batch; the next batch is read once this one is done.
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < keys.length && !signal.aborted) {
          const key = keys[next++] as string
          if (await this.announceOne(key)) progress.provided++
          progress.done++
        }
      }
      await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, keys.length) }, worker))
      options.onProgress?.({ ...progress })
      if (keys.length > 0 && progress.provided === before && !signal.aborted) return { ...progress, stopped: 'unreachable' }
    }
    if (signal.aborted) return progress
    // What is no longer a candidate (an old head) is not announced again, by us or by kad-dht.
    for (const key of [...this.provided]) {
      if (wanted.has(key) || this.queue.includes(key)) continue
      this.provided.delete(key)
      await this.components.announcer.cancelReprovide(CID.parse(key)).catch((err: unknown) => { this.components.log('could not cancel reprovide of %s: %e', key, err) })
    }
    this.lastRun = new Date()
    return progress
  }
}

export function createDhtProvider (components: ProviderComponents, init: ProviderInit = {}): Provider {
  return new DhtProvider(components, init)
}
