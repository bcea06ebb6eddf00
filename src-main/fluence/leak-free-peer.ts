import { Buffer } from 'node:buffer'
import { PARTICLE_GROUP_SLACK_MS } from './constants.js'
import type { CallServiceRequest, CallServiceResult, FluencePeer, FluencePeerClass, GroupedObservable, JsClientInternals, Particle, ParticleQueueItem } from './internals.js'

/** js-client's ResultCodes. */
const RESULT_OK = 0
const RESULT_ERROR = 1

export interface MarineServiceIds {
  /** Whether `serviceId` is a Marine service of this peer's own Marine host (trusted modules only). */
  resolve(serviceId: string): Promise<boolean>
  /** Known without a worker round trip. */
  has(serviceId: string): boolean
  /**
   * User-deployed contracts: untrusted Wasm, so they run in the node's contract sandbox (a time
   * budget per call, capped memory) rather than in the Marine host AquaVM shares.
   */
  sandboxed?: { has(serviceId: string): boolean, call(serviceId: string, fnName: string, args: unknown[]): Promise<unknown> }
}

export interface LeakFreePeer extends FluencePeer {
  /** Particles whose processing group or expiry timer is still held (0 when idle). */
  inFlight(): number
}

export type LeakFreePeerClass = new (...args: [...ConstructorParameters<FluencePeerClass>, MarineServiceIds]) => LeakFreePeer

const ttlLeft = (p: Particle): number => p.timestamp + p.ttl - Date.now()
/** The key FluencePeer groups by: js-base64 `fromUint8Array(signature)` equals Node's base64. */
const groupKey = (p: Particle): string => Buffer.from(p.signature).toString('base64')

/**
 * FluencePeer 0.9.0 keeps two things per particle forever (docs/FLUENCE.md, "What js-client 0.9.0 does"): an rxjs `groupBy` group
 * keyed by the signature, whose inner pipeline holds the particle's last AquaVM data, and an
 * entry in `timeouts` whose fired timer still holds the first queue item. This subclass gives
 * each group a lifetime (it completes PARTICLE_GROUP_SLACK_MS after the particle's deadline, so
 * groupBy drops it) and deletes the timeout entry when the particle expires.
 *
 * It also answers "is this a Marine service?" from the ids it registered rather than asking the
 * worker on every call (docs/FLUENCE.md), which also keeps remote particles away from AquaVM's own
 * `avm` service.
 */
export function defineLeakFreePeer (js: JsClientInternals): LeakFreePeerClass {
  const { filter, groupBy, lastValueFrom, mergeMap, take, tap, timer } = js.rxjs
  const Base = js.FluencePeer

  return class LeakFreeFluencePeer extends Base implements LeakFreePeer {
    private readonly marine: MarineServiceIds

    constructor (...args: [...ConstructorParameters<FluencePeerClass>, MarineServiceIds]) {
      const [config, keyPair, marineHost, jsServiceHost, connection, marine] = args
      super(config, keyPair, marineHost, jsServiceHost, connection)
      this.marine = marine
    }

    inFlight (): number {
      return Object.keys(this.timeouts).length
    }

    override startParticleProcessing (): void {
      this._particleSourceSubscription = this.connection.particleSource.subscribe({
        next: (particle: Particle) => {
          this._incomingParticles.next({ particle, callResults: [], onSuccess: () => {}, onError: () => {} })
        },
      })
      const source = this._incomingParticles.pipe(
        tap((item: ParticleQueueItem) => { if (ttlLeft(item.particle) <= 0) this.expireParticle(item) }),
        filter((item: ParticleQueueItem) => ttlLeft(item.particle) > 0),
        groupBy((item: ParticleQueueItem) => groupKey(item.particle), {
          duration: (group: GroupedObservable<ParticleQueueItem>) => group.pipe(
            take(1),
            mergeMap((item: ParticleQueueItem) => timer(Math.max(0, ttlLeft(item.particle)) + PARTICLE_GROUP_SLACK_MS)),
          ),
        }),
        mergeMap((group: unknown) => this.mapParticleGroup(group)),
      )
      this._incomingParticlePromise = lastValueFrom(source, { defaultValue: undefined })
    }

    override expireParticle (item: ParticleQueueItem): void {
      super.expireParticle(item)
      const key = groupKey(item.particle)
      const timeout = this.timeouts[key]
      if (timeout !== undefined) {
        clearTimeout(timeout)
        delete this.timeouts[key]
      }
    }

    override async execCallRequest (request: CallServiceRequest): Promise<CallServiceResult> {
      if (this.marine.has(request.serviceId)) return await this.callMarine(request)
      const result = await this.jsServiceHost.callService(request)
      if (result !== null) return result
      if (this.marine.sandboxed?.has(request.serviceId) === true) return await this.callSandboxed(request)
      if (await this.marine.resolve(request.serviceId)) return await this.callMarine(request)
      return { retCode: RESULT_ERROR, result: `No service found for service call: serviceId='${request.serviceId}', fnName='${request.fnName}'` }
    }

    private async callSandboxed (request: CallServiceRequest): Promise<CallServiceResult> {
      try {
        return { retCode: RESULT_OK, result: await this.marine.sandboxed?.call(request.serviceId, request.fnName, request.args) }
      } catch (err) {
        // A trap, a loop stopped at its budget, an unknown function: the caller's particle gets the reason.
        return { retCode: RESULT_ERROR, result: (err as Error).message }
      }
    }

    private async callMarine (request: CallServiceRequest): Promise<CallServiceResult> {
      return { retCode: RESULT_OK, result: await this.marineHost.callService(request.serviceId, request.fnName, request.args) }
    }
  }
}
