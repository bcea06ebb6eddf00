import type { Logger } from '@libp2p/logger'
import { toCid } from '../lineage/pins/index.js'
import type { SecretVault } from '../secrets/index.js'
import type { Store } from '../store/index.js'
import { remotePinningSecretId } from '../store/index.js'
import { PinningServiceClient, isTransient } from './client.js'
import type { ServiceAccess } from './client.js'
import {
  AUTO_PUSH_BATCH, AUTO_PUSH_INTERVAL_MS, DELEGATE_DIAL_TIMEOUT_MS, FOLLOW_CONCURRENCY, FOLLOW_INITIAL_DELAY_MS, FOLLOW_MAX_DELAY_MS,
  FOLLOW_MAX_FAILURES, MAX_ORIGINS, MAX_REASON_LENGTH, MAX_REMOTE_PIN_NAME_LENGTH, MAX_RESPONSE_BYTES, REQUEST_TIMEOUT_MS,
} from './constants.js'
import { InvalidRemotePinError, NotPinnedLocallyError, RemotePinNotFoundError, RemotePinServiceExistsError, RemotePinServiceNotFoundError } from './errors.js'
import { checkServiceConfig, checkServiceName, maskToken } from './service-config.js'
import { RemotePinTables } from './tables.js'
import type { RemotePinRow, ServiceRow } from './tables.js'
import type { RemotePinFilter, RemotePinInfo, RemotePinServiceInfo } from './types.js'
import { REMOTE_PIN_STATUSES } from './wire.js'
import type { WirePinStatus } from './wire.js'

export interface RemotePinningComponents {
  store: Store
  /** Where service tokens are kept: never the database, whose `token` column holds only their mask. */
  secrets: SecretVault
  log: Logger
  /** The node's listen multiaddrs, sent as `origins` so the service can fetch from us; none offline. */
  origins?: () => string[]
  /** Dials a delegate on the node's libp2p host; absent on an offline node, where delegates are skipped. */
  dial?: (multiaddr: string, options: { signal: AbortSignal }) => Promise<unknown>
}

/** Timings and limits; the defaults (constants.ts) suit real services, tests shorten the waits. */
export interface RemotePinningInit {
  followInitialDelayMs?: number
  followMaxDelayMs?: number
  followMaxFailures?: number
  autoPushIntervalMs?: number
  requestTimeoutMs?: number
  maxResponseBytes?: number
}

export interface RemotePinning {
  /** Resumes following every unsettled request, and starts the automatic push. */
  start(): void
  /** Stops following (in-flight requests are aborted); the table keeps where each request was. */
  stop(): Promise<void>
  isStarted(): boolean
  /** Throws InvalidServiceConfigError (naming the field), RemotePinServiceExistsError. */
  addService(input: { name: unknown, endpoint: unknown, token: unknown, auto_pin?: unknown }): RemotePinServiceInfo
  /** Forgets a service and the requests made to it (the service keeps its pins). */
  removeService(name: string): RemotePinServiceInfo
  services(): RemotePinServiceInfo[]
  /**
   * Asks a service to pin a CID pinned on this node, and follows the request until it is pinned
   * or failed. Idempotent while a request is queued, pinning or pinned; a failed one is sent again.
   * A service that cannot be reached or refuses is an error, and the pin is recorded as failed with
   * the reason.
   */
  add(cid: string, service: string, options?: { name?: string }): Promise<RemotePinInfo>
  /** Deletes the request at the service, then here. Nothing changes if the service cannot be reached. */
  rm(cid: string, service: string): Promise<RemotePinInfo>
  ls(filter?: RemotePinFilter): RemotePinInfo[]
  /** Checks every request whose check is due now; the timer calls it, and so may callers. */
  checkDue(): Promise<void>
  /** Pushes local pins made since the last round to the services that pin everything. */
  pushNewPins(): Promise<void>
}

const key = (service: string, cid: string): string => `${service}\n${cid}`

export class HttpRemotePinning implements RemotePinning {
  private tablesCache: RemotePinTables | undefined
  private started = false
  private controller = new AbortController()
  private followTimer: NodeJS.Timeout | undefined
  private pushTimer: NodeJS.Timeout | undefined
  private round: Promise<void> | undefined
  private pushing: Promise<void> | undefined
  /** Requests being sent or checked, so the follower never checks a pin while it is being pushed. */
  private readonly busy = new Map<string, Promise<RemotePinInfo>>()
  /** Everything running in the background, awaited by stop(). */
  private readonly pending = new Set<Promise<unknown>>()
  private readonly timings: Required<RemotePinningInit>

  constructor (private readonly components: RemotePinningComponents, init: RemotePinningInit = {}) {
    this.timings = {
      followInitialDelayMs: init.followInitialDelayMs ?? FOLLOW_INITIAL_DELAY_MS,
      followMaxDelayMs: init.followMaxDelayMs ?? FOLLOW_MAX_DELAY_MS,
      followMaxFailures: init.followMaxFailures ?? FOLLOW_MAX_FAILURES,
      autoPushIntervalMs: init.autoPushIntervalMs ?? AUTO_PUSH_INTERVAL_MS,
      requestTimeoutMs: init.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      maxResponseBytes: init.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    }
  }

  isStarted (): boolean { return this.started }

  start (): void {
    if (this.started) return
    this.started = true
    this.controller = new AbortController()
    this.schedule()
    this.pushTimer = setInterval(() => { this.background(this.pushNewPins()) }, this.timings.autoPushIntervalMs)
    this.pushTimer.unref()
    this.background(this.pushNewPins())
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    clearTimeout(this.followTimer)
    clearInterval(this.pushTimer)
    this.controller.abort()
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
    // Calls made while stopped (add, rm) still reach the service.
    this.controller = new AbortController()
  }

  addService (input: { name: unknown, endpoint: unknown, token: unknown, auto_pin?: unknown }): RemotePinServiceInfo {
    const config = checkServiceConfig({ ...input, autoPin: input.auto_pin })
    const tables = this.tables()
    tables.db.transaction(() => {
      if (tables.serviceByName.get(config.name) !== undefined) throw new RemotePinServiceExistsError(config.name)
      // The automatic push starts from the first pin: "everything I pin" includes what is pinned already.
      // The token is sealed in the credentials file before the row exists, so no row lacks one.
      this.components.secrets.set(remotePinningSecretId(config.name), config.token)
      tables.insertService.run({ name: config.name, endpoint: config.endpoint, token: maskToken(config.token), auto_pin: config.autoPin ? 1 : 0, auto_after_created_at: -1, auto_after_cid: '', created_at: Date.now() })
    }).immediate()
    this.components.log('added pinning service %s at %s%s', config.name, config.endpoint, config.autoPin ? ' (pins everything)' : '')
    if (config.autoPin && this.started) this.background(this.pushNewPins())
    return this.describeService(this.requireService(config.name))
  }

  removeService (name: string): RemotePinServiceInfo {
    const service = this.requireService(checkServiceName(name))
    const info = this.describeService(service)
    this.tables().removeService.run(service.name)
    this.components.secrets.delete(remotePinningSecretId(service.name))
    this.components.log('removed pinning service %s', service.name)
    return info
  }

  services (): RemotePinServiceInfo[] {
    return this.tables().allServices.all().map(s => this.describeService(s))
  }

  async add (cid: string, service: string, options: { name?: string } = {}): Promise<RemotePinInfo> {
    const svc = this.requireService(checkServiceName(service, 'service'))
    const pinKey = toCid(cid).toV1().toString()
    const local = this.tables().localPin.get(pinKey)
    if (local === undefined) throw new NotPinnedLocallyError(pinKey)
    const name = checkPinName(options.name ?? local.name)
    const existing = this.tables().pinOf.get(svc.name, pinKey)
    if (existing !== undefined && existing.status !== 'failed' && existing.requestid !== null) return describePin(existing)
    // A request whose POST went unanswered (a crash) may exist at the service: look it up first.
    if (existing !== undefined && existing.status !== 'failed') return await this.exclusive(svc.name, pinKey, async () => await this.follow(existing))
    return await this.push(svc, pinKey, name)
  }

  async rm (cid: string, service: string): Promise<RemotePinInfo> {
    const svc = this.requireService(checkServiceName(service, 'service'))
    const pinKey = toCid(cid).toV1().toString()
    const row = this.tables().pinOf.get(svc.name, pinKey)
    if (row === undefined) throw new RemotePinNotFoundError(pinKey, svc.name)
    await this.busy.get(key(svc.name, pinKey))?.catch(() => {})
    const current = this.tables().pinOf.get(svc.name, pinKey) ?? row
    if (current.requestid !== null) {
      const known = await this.client(svc).remove(current.requestid)
      if (!known) this.components.log('%s no longer knew request %s for %s', svc.name, current.requestid, pinKey)
    }
    this.tables().removePin.run(svc.name, pinKey)
    this.components.log('removed %s from pinning service %s', pinKey, svc.name)
    return describePin(current)
  }

  ls (filter: RemotePinFilter = {}): RemotePinInfo[] {
    if (filter.status !== undefined && !(REMOTE_PIN_STATUSES as readonly string[]).includes(filter.status)) {
      throw new InvalidRemotePinError('status', `must be one of ${REMOTE_PIN_STATUSES.join(', ')}`)
    }
    const cid = filter.cid === undefined ? undefined : toCid(filter.cid).toV1().toString()
    if (filter.service !== undefined) this.requireService(checkServiceName(filter.service, 'service'))
    return this.tables().allPins.all()
      .filter(row => (filter.service === undefined || row.service === filter.service) && (cid === undefined || row.cid === cid) && (filter.status === undefined || row.status === filter.status))
      .map(describePin)
  }

  async checkDue (): Promise<void> {
    if (this.round !== undefined) return await this.round
    const round = this.checkRound().finally(() => {
      this.round = undefined
      this.schedule()
    })
    this.round = round
    await round
  }

  private async checkRound (): Promise<void> {
    while (this.started) {
      const due = this.tables().duePins.all(Date.now(), FOLLOW_CONCURRENCY * 8)
        .filter(row => !this.busy.has(key(row.service, row.cid)))
        .slice(0, FOLLOW_CONCURRENCY)
      if (due.length === 0) return
      await Promise.all(due.map(async row => await this.exclusive(row.service, row.cid, async () => await this.follow(row))))
    }
  }

  async pushNewPins (): Promise<void> {
    // A round already running may have read the pins table before the caller's newest pin: wait
    // for it, then run one more.
    while (this.pushing !== undefined) await this.pushing
    const run = this.pushRound().finally(() => { this.pushing = undefined })
    this.pushing = run
    await run
  }

  private async pushRound (): Promise<void> {
    for (const service of this.tables().autoServices.all()) {
      if (!this.started) return
      await this.pushServiceRound(service)
    }
  }

  /** One round for one service, from its cursor on. A service that is down is tried again next round. */
  private async pushServiceRound (service: ServiceRow): Promise<void> {
    const tables = this.tables()
    let after = { created_at: service.auto_after_created_at, cid: service.auto_after_cid }
    for (;;) {
      const batch = tables.localPinsAfter.all(after.created_at, after.created_at, after.cid, AUTO_PUSH_BATCH)
      for (const local of batch) {
        if (!this.started) return
        const existing = tables.pinOf.get(service.name, local.cid)
        if (existing === undefined || existing.status === 'failed') {
          try {
            await this.push(service, local.cid, checkPinName(local.name.slice(0, MAX_REMOTE_PIN_NAME_LENGTH)))
          } catch (err) {
            // Down or overloaded: keep the cursor here so this pin is pushed next round. Anything
            // else (a refused token, a refused CID) is recorded on the pin; the push moves on.
            if (isTransient(err) || !this.started) return
          }
        }
        after = { created_at: local.created_at, cid: local.cid }
        tables.advanceAutoCursor.run(after.created_at, after.cid, service.name)
      }
      if (batch.length < AUTO_PUSH_BATCH) return
    }
  }

  /** Sends the POST and records its answer; one push per (service, CID) at a time. */
  private async push (service: ServiceRow, cid: string, name: string): Promise<RemotePinInfo> {
    return await this.exclusive(service.name, cid, async () => {
      const tables = this.tables()
      const now = Date.now()
      const before = tables.pinOf.get(service.name, cid)
      // Written before the POST: if the node dies while waiting, the next start finds the row
      // without a requestid and looks the CID up at the service instead of pinning it twice.
      const row: RemotePinRow = {
        service: service.name, cid, name, requestid: null, status: 'queued', reason: '', delegates: '[]', checks: 0, failures: 0,
        next_check_at: now + this.timings.followMaxDelayMs, created_at: before?.created_at ?? now, updated_at: now,
      }
      tables.upsertPin.run(row)
      return await this.send(service, row)
    })
  }

  private async send (service: ServiceRow, row: RemotePinRow): Promise<RemotePinInfo> {
    const origins = (this.components.origins?.() ?? []).slice(0, MAX_ORIGINS)
    let status: WirePinStatus
    try {
      status = await this.client(service).add({ cid: row.cid, ...(row.name === '' ? {} : { name: row.name }), ...(origins.length === 0 ? {} : { origins }) })
    } catch (err) {
      if (this.controller.signal.aborted && !this.started) throw err
      this.update({ ...row, status: 'failed', reason: reasonOf(err), next_check_at: null })
      this.components.log('pushing %s to %s failed: %s', row.cid, service.name, reasonOf(err))
      this.schedule()
      throw err
    }
    this.components.log('pushed %s to %s: request %s %s', row.cid, service.name, status.requestid, status.status)
    const updated = this.record(row, status)
    this.schedule()
    return describePin(updated)
  }

  /** One status check of a request (or, after a crash mid-POST, finding or re-sending it). */
  private async follow (row: RemotePinRow): Promise<RemotePinInfo> {
    const service = this.tables().serviceByName.get(row.service)
    if (service === undefined) {
      // Removed while this check waited (its rows go with it); never leave a due row behind.
      this.update({ ...row, next_check_at: null })
      return describePin(row)
    }
    try {
      if (row.requestid === null) {
        const found = await this.client(service).list({ cid: [row.cid], status: [...REMOTE_PIN_STATUSES], limit: 10 })
        const newest = found.filter(s => s.pin.cid === row.cid).sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0]
        if (newest === undefined) return await this.send(service, row).catch(() => describePin(this.tables().pinOf.get(row.service, row.cid) ?? row))
        return describePin(this.record(row, newest))
      }
      return describePin(this.record(row, await this.client(service).get(row.requestid)))
    } catch (err) {
      if (!this.started) return describePin(row)
      const failures = row.failures + 1
      const giveUp = !isTransient(err) || failures >= this.timings.followMaxFailures
      const next = giveUp ? null : Date.now() + this.delay(row.checks + 1)
      const updated = { ...row, failures, checks: row.checks + 1, reason: reasonOf(err), status: giveUp ? 'failed' as const : row.status, next_check_at: next }
      this.update(updated)
      this.components.log('checking %s at %s failed (%s): %s', row.cid, row.service, giveUp ? 'giving up' : `attempt ${failures}`, reasonOf(err))
      return describePin(updated)
    }
  }

  /** Stores what the service said about a request, and dials new delegates. */
  private record (row: RemotePinRow, status: WirePinStatus): RemotePinRow {
    const settled = status.status === 'pinned' || status.status === 'failed'
    const details = status.info?.status_details ?? ''
    const delegates = JSON.stringify(status.delegates)
    const updated: RemotePinRow = {
      ...row,
      requestid: status.requestid,
      status: status.status,
      reason: (status.status === 'failed' && details === '' ? 'the pinning service reported the pin as failed' : details).slice(0, MAX_REASON_LENGTH),
      delegates,
      checks: row.checks + 1,
      failures: 0,
      next_check_at: settled ? null : Date.now() + this.delay(row.checks),
      updated_at: Date.now(),
    }
    this.update(updated)
    if (delegates !== row.delegates && !settled) this.dialDelegates(status.delegates)
    return updated
  }

  private update (row: RemotePinRow): void {
    this.tables().updatePin.run({ ...row, updated_at: Date.now() })
  }

  /** Connecting to the delegates lets the service fetch the blocks from us at once (bitswap). */
  private dialDelegates (delegates: string[]): void {
    const dial = this.components.dial
    if (dial === undefined || !this.started) return
    for (const address of delegates) {
      this.background(dial(address, { signal: AbortSignal.any([AbortSignal.timeout(DELEGATE_DIAL_TIMEOUT_MS), this.controller.signal]) })
        .catch((err: unknown) => { this.components.log('could not dial delegate %s: %s', address, (err as Error).message) }))
    }
  }

  /** Wakes the follower at the earliest due check. */
  private schedule (): void {
    clearTimeout(this.followTimer)
    if (!this.started) return
    const at = this.tables().nextCheck.get()?.at ?? null
    if (at === null) return
    this.followTimer = setTimeout(() => { this.background(this.checkDue()) }, Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1))
    this.followTimer.unref()
  }

  private delay (checks: number): number {
    return Math.min(this.timings.followInitialDelayMs * 2 ** Math.min(checks, 30), this.timings.followMaxDelayMs)
  }

  private async exclusive (service: string, cid: string, work: () => Promise<RemotePinInfo>): Promise<RemotePinInfo> {
    const k = key(service, cid)
    const running = this.busy.get(k)
    if (running !== undefined) return await running
    const run = work()
    this.busy.set(k, run)
    try {
      return await run
    } finally {
      this.busy.delete(k)
    }
  }

  private background (work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => { this.components.log.error('remote pinning: %s', (err as Error).message) })
    this.pending.add(tracked)
    void tracked.finally(() => this.pending.delete(tracked))
  }

  private client (service: ServiceRow): PinningServiceClient {
    const access: ServiceAccess = { name: service.name, endpoint: service.endpoint, token: this.components.secrets.require(remotePinningSecretId(service.name)) }
    return new PinningServiceClient(access, { timeoutMs: this.timings.requestTimeoutMs, maxResponseBytes: this.timings.maxResponseBytes, signal: this.controller.signal })
  }

  private requireService (name: string): ServiceRow {
    const service = this.tables().serviceByName.get(name)
    if (service === undefined) throw new RemotePinServiceNotFoundError(name)
    return service
  }

  private describeService (service: ServiceRow): RemotePinServiceInfo {
    const pins = { queued: 0, pinning: 0, pinned: 0, failed: 0 }
    for (const { status, n } of this.tables().statusCounts.all(service.name)) pins[status] = n
    return { name: service.name, endpoint: service.endpoint, token: service.token, auto_pin: service.auto_pin === 1, created_at: service.created_at, pins }
  }

  /** Statements belong to one connection; a restarted store has a new one. */
  private tables (): RemotePinTables {
    const db = this.components.store.db
    if (this.tablesCache?.db !== db) this.tablesCache = new RemotePinTables(db)
    return this.tablesCache
  }
}

function describePin (row: RemotePinRow): RemotePinInfo {
  return {
    service: row.service,
    cid: row.cid,
    name: row.name,
    status: row.status,
    requestid: row.requestid,
    reason: row.reason,
    delegates: JSON.parse(row.delegates) as string[],
    created_at: row.created_at,
    updated_at: row.updated_at,
    next_check_at: row.next_check_at,
  }
}

function checkPinName (name: string): string {
  if (name.length > MAX_REMOTE_PIN_NAME_LENGTH) throw new InvalidRemotePinError('name', `is longer than ${MAX_REMOTE_PIN_NAME_LENGTH} characters (the Pinning Service API's limit)`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidRemotePinError('name', 'must be one line without control characters')
  return name
}

function reasonOf (err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, MAX_REASON_LENGTH)
}
