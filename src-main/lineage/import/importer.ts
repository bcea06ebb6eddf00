import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type fs from 'node:fs'
import type { Logger } from '@libp2p/logger'
import { readRefusal, resolvePath } from '../../files/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import type { Lineage, Outcome, PublishResult } from '../engine/index.js'
import { canonicalPublicKey, validateUnsignedRequest } from '../signing/index.js'
import type { TransactionSigner, UnsignedTransactionRequest } from '../signing/index.js'
import { DEFAULT_ALIAS, DEFAULT_VERSION, IMPORT_DONE_EVENT, IMPORT_PROGRESS_EVENT, MAX_IGNORED_NAMES_KEPT, MAX_IN_FLIGHT, MAX_REPORTS_KEPT, MAX_SHOWN_REASON_CHARS, PUBLISH_BATCH } from './constants.js'
import { ImportBindingError, ImportItemError, ImportJobBusyError, ImportJobNotFoundError, ImportKeyError, ImportSourceChangedError, ImportSourceError, ImportStalledError } from './errors.js'
import { ImportJobs } from './jobs.js'
import type { StoredImportJob } from './jobs.js'
import { BINDING_ITEM, itemNonce, jobNoncePrefix } from './nonce.js'
import { checkImportPath } from './paths.js'
import { Progress } from './progress.js'
import { shownText } from './shown-text.js'
import { csvSource, folderSource } from './sources.js'
import type { SourceItem } from './sources.js'
import { unexpectedReason } from './unexpected.js'
import { CarImport } from './car-job.js'
import type { CarRestore } from './car-job.js'
import type { IgnoredFiles, ImportEvent, ImportProgressEvent, ImportJobInfo, ImportJobParams, ImportReport, ImportRequest, ImportRunOptions } from './types.js'

export interface ImporterComponents {
  lineage: Lineage
  store: Store
  blockstore: SqliteBlockstore
  log: Logger
  /** Deploys the contracts and restores the pins a CAR's archive carries; without it, those are refused. */
  restore?: CarRestore
}

export interface ImporterEvents {
  /** Every progress and done event of every run, for transports that forward events (WebSocket). */
  event: [ImportEvent]
}

/**
 * Errors that end a job rather than one item: the key was locked, the engine stopped, storage
 * failed (better-sqlite3's SqliteError: no item can be stored), or the run was cancelled.
 */
const JOB_FAILURES = new Set(['KeyLockedError', 'LineageStoppedError', 'SqliteError', 'AbortError'])

/**
 * Bulk import into the Lineage engine. A job is created (checked and recorded in `jobs`), then
 * run; a run that was cancelled or killed is resumed by running the job again.
 *
 * Resume rule: each item's nonce is derived from (job id, item id), so it is the same in every
 * run. A run walks the whole source; an item whose nonce the ledger already holds for the job's
 * key is refused by the engine as a replay before it is signed, and counted as skipped (its
 * receipt, or the wait for it, counts as it did the first time). An item published between the
 * crash and the last saved counter is therefore recognised, never duplicated, even if the file
 * changed since.
 *
 * Counters: every nonce of a job starts with the job's prefix, so `status` counts what the job
 * published, and how it ended, from the ledger itself (one range of the (public_key, nonce)
 * index): the truth after a kill -9 too, when the counters saved in the job row are behind.
 */
export class LineageImporter extends EventEmitter<ImporterEvents> {
  private table: ImportJobs | undefined
  private readonly active = new Map<string, { controller: AbortController, run: Promise<unknown> }>()
  private readonly reports = new Map<string, ImportReport>()
  private readonly latest = new Map<string, ImportProgressEvent>()

  constructor (private readonly components: ImporterComponents) {
    super()
  }

  /** Opens the jobs table; jobs a killed process left running become paused, to be resumed. Idempotent. */
  start (): void {
    if (this.table !== undefined) return
    this.table = new ImportJobs(this.components.store.db)
    const interrupted = this.table.markInterrupted()
    if (interrupted > 0) this.components.log('%d interrupted import job(s) paused; run them again to resume', interrupted)
  }

  /** Cancels the runs in progress and waits for them to end (their jobs can be resumed). */
  async stop (): Promise<void> {
    const runs = [...this.active.values()]
    for (const { controller } of runs) controller.abort()
    await Promise.allSettled(runs.map(r => r.run))
    this.table = undefined
  }

  private get jobs (): ImportJobs {
    if (this.table === undefined) throw new Error('the importer is not started')
    return this.table
  }

  /**
   * Checks a request and records a new job (state "paused" until run).
   *
   * @throws ImportPathError, ImportSourceError, InvalidTransactionError naming a bad field
   */
  async create (request: ImportRequest): Promise<ImportJobInfo> {
    const { path: source, format, stat } = await checkImportPath(request.source)
    const params: ImportJobParams = {
      source,
      chain_id: request.chain_id ?? '',
      token_address: request.token_address ?? '',
      meta_contract_id: request.meta_contract_id ?? '',
      alias: request.alias ?? DEFAULT_ALIAS,
      version: request.version ?? DEFAULT_VERSION,
      public_key: request.public_key ?? '',
      ...(format === 'folder' ? {} : { source_size: stat.size, source_mtime_ms: Math.trunc(stat.mtimeMs) }),
    }
    const id = randomUUID()
    if (format !== 'car') {
      params.nonce_prefix = jobNoncePrefix(id)
      // The fields every item shares, checked once with the signing rules (errors name the field).
      const sample = validateUnsignedRequest({ ...this.unsigned(params), token_id: '0', nonce: itemNonce(id, 'check', params.nonce_prefix), timestamp: Date.now(), data: '{}' })
      params.public_key = canonicalPublicKey(sample.public_key)
    }
    this.jobs.create(id, format, params)
    this.components.log('import job %s: %s %s', id, format, shownText(source))
    return this.status(id)
  }

  /**
   * A job's state and counters. A folder or CSV job's are read from the ledger: what it published
   * and how each ended, as committed (also after a crash, and while it runs); see ImportJobInfo.
   */
  status (job: string): ImportJobInfo {
    const { refused, ...info } = this.stored(job)
    const prefix = info.params.nonce_prefix
    if (info.format === 'car' || prefix === undefined) return info
    const committed = this.components.lineage.transactionCounts(info.params.public_key, prefix, 'metadata')
    const rejected = committed.rejected + refused
    return { ...info, applied: committed.applied, rejected, pending: committed.pending, done: committed.applied + rejected }
  }

  private stored (job: string): StoredImportJob {
    const info = this.jobs.get(job)
    if (info === undefined) throw new ImportJobNotFoundError(job)
    return info
  }

  /** The report of the job's last run in this process, if it ended here. */
  lastReport (job: string): ImportReport | undefined {
    return this.reports.get(job)
  }

  /** Cancels a job: a running one stops after its in-flight items; a paused one is marked cancelled. */
  cancel (job: string): ImportJobInfo {
    const info = this.status(job)
    const active = this.active.get(job)
    if (active !== undefined) active.controller.abort()
    else if (info.state !== 'done') this.jobs.setState(job, 'cancelled', info.error)
    return this.status(job)
  }

  /** The latest progress event of a job running now. */
  progress (job: string): ImportProgressEvent | undefined {
    return this.latest.get(job)
  }

  isRunning (job: string): boolean {
    return this.active.has(job)
  }

  /**
   * Runs (or resumes) a job to its end. Resolves with state "done", or "cancelled" when the
   * signal (or `cancel`) stopped it; rejected items are in the report, not thrown.
   *
   * @throws ImportJobNotFoundError, ImportJobBusyError, ImportKeyError, ImportSourceChangedError,
   * ImportBindingError, ImportStalledError; the job is then marked failed
   */
  async run (job: string, options: ImportRunOptions = {}): Promise<ImportReport> {
    const info = this.stored(job)
    if (this.active.has(job)) throw new ImportJobBusyError(job)
    const controller = new AbortController()
    const onAbort = (): void => { controller.abort() }
    if (options.signal?.aborted === true) controller.abort()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const emit = (event: ImportEvent): void => {
      if (event.type === IMPORT_PROGRESS_EVENT) this.latest.set(job, event)
      options.onProgress?.(event)
      this.emit('event', event)
    }
    const run = (async () => {
      this.jobs.setState(job, 'running')
      try {
        const { report, refused } = info.format === 'car'
          ? { report: await this.runCar(info, controller.signal, emit), refused: 0 }
          : await this.runItems(info, options.signer, controller.signal, emit)
        this.jobs.saveProgress(job, report.done, report.total, { applied: report.applied, unchanged: report.unchanged, rejected: report.rejected_count, skipped: report.skipped, refused }, report.rejected, report.ignored)
        this.jobs.setState(job, report.state)
        this.keepReport(report)
        emit({ type: IMPORT_DONE_EVENT, job, report })
        this.components.log('import job %s %s: %d applied, %d rejected, %d skipped', job, report.state, report.applied, report.rejected_count, report.skipped)
        return report
      } catch (err) {
        this.jobs.setState(job, 'failed', shownText(String((err as Error).message), MAX_SHOWN_REASON_CHARS))
        throw err
      }
    })()
    this.active.set(job, { controller, run })
    try {
      return await run
    } finally {
      this.active.delete(job)
      this.latest.delete(job)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  private keepReport (report: ImportReport): void {
    this.reports.delete(report.job)
    this.reports.set(report.job, report)
    for (const key of this.reports.keys()) {
      if (this.reports.size <= MAX_REPORTS_KEPT) break
      this.reports.delete(key)
    }
  }

  private unsigned (params: ImportJobParams): Omit<UnsignedTransactionRequest, 'token_id' | 'nonce' | 'timestamp' | 'data'> {
    return {
      method: 'metadata',
      chain_id: params.chain_id,
      token_address: params.token_address,
      meta_contract_id: params.meta_contract_id,
      alias: params.alias,
      version: params.version,
      public_key: params.public_key,
      mcdata: '',
    }
  }

  private async checkUnchanged (params: ImportJobParams): Promise<void> {
    if (params.source_size === undefined) return
    let stat: fs.Stats
    try {
      stat = (await resolvePath(params.source)).stat
    } catch (err) {
      throw new ImportSourceError(params.source, readRefusal(err) ?? 'it no longer exists')
    }
    if (stat.size !== params.source_size || Math.trunc(stat.mtimeMs) !== params.source_mtime_ms) throw new ImportSourceChangedError(params.source)
  }

  /**
   * Publishes a folder's or CSV's items. Resolves with the report and the items refused before
   * publishing: this run's count once it walked the whole source, else at least what an earlier
   * run refused (the rest of the source is not walked yet).
   */
  private async runItems (info: StoredImportJob, signer: TransactionSigner | undefined, signal: AbortSignal, emit: (event: ImportEvent) => void): Promise<{ report: ImportReport, refused: number }> {
    const { params, job } = info
    const prefix = params.nonce_prefix ?? ''
    const { lineage } = this.components
    if (signer === undefined) throw new ImportKeyError('a folder or CSV import signs every item; give the key to sign with.')
    if (canonicalPublicKey(signer.publicKey) !== params.public_key) throw new ImportKeyError(`this job signs with ${params.public_key}; the key given is ${signer.publicKey}.`)
    await this.checkUnchanged(params)
    const onUnexpected = (item: string, err: unknown): void => { this.logUnexpected(job, item, err) }
    const ignored: IgnoredFiles = { count: 0, names: [] }
    const onIgnored = (name: string): void => {
      if (ignored.count++ < MAX_IGNORED_NAMES_KEPT) ignored.names.push(name)
    }
    const source = info.format === 'folder' ? folderSource(params.source, onUnexpected, onIgnored) : csvSource(params.source, onUnexpected)
    const progress = new Progress(job, emit, (done, total, counters) => { this.jobs.saveProgress(job, done, total, { ...counters, refused: Math.max(counters.refused, info.refused) }) })
    const base = this.unsigned(params)

    // Receipts arrive as events; items still waiting for theirs are `inflight` (hash → item).
    const inflight = new Map<string, SourceItem>()
    let wake: (() => void) | undefined
    const onOutcome = (outcome: Outcome): void => {
      const item = inflight.get(outcome.hash)
      if (item === undefined) return
      inflight.delete(outcome.hash)
      progress.outcome(item, outcome.status, outcome.reason, outcome.unchanged)
      wake?.()
    }
    /** Waits until at most `limit` items wait for receipts; throws if the validator stopped with some pending. */
    const drain = async (limit: number): Promise<void> => {
      while (inflight.size > limit) {
        let idle = false
        await Promise.race([
          new Promise<void>(resolve => { wake = resolve }),
          lineage.settled().then(() => { idle = true }),
        ])
        wake = undefined
        if (!idle) continue
        for (const [hash, item] of inflight) {
          const receipt = lineage.receipt(hash)
          if (receipt === undefined) continue
          inflight.delete(hash)
          progress.outcome(item, receipt.status, receipt.reason, receipt.unchanged)
        }
        if (inflight.size > limit) throw new ImportStalledError(inflight.size)
      }
    }
    const track = (hash: string, item: SourceItem): void => {
      const receipt = lineage.receipt(hash)
      if (receipt !== undefined) progress.outcome(item, receipt.status, receipt.reason, receipt.unchanged)
      else inflight.set(hash, item)
    }

    /**
     * Publishes the signed items in one SQLite transaction (one fsync), then counts each; an item
     * is acknowledged (and counted) only once the batch has committed.
     */
    let batch: Array<{ item: SourceItem, request: UnsignedTransactionRequest }> = []
    const publishBatch = async (): Promise<void> => {
      const items = batch
      batch = []
      if (items.length === 0) return
      // The engine signs with the job's key, once an item has passed every check.
      const results = await this.publishIsolating(job, items, signer)
      items.forEach(({ item }, i) => {
        const result = results[i]
        if (result?.hash !== undefined) {
          // Just stored as pending: its receipt comes as an event (or drain finds it once the
          // validator is idle), so no receipt is looked up for it now.
          inflight.set(result.hash, item)
        } else if (result?.error.name === 'ReplayedTransactionError') {
          progress.skip()
          track((result.error as Error & { existingHash: string }).existingHash, item)
        } else if (result?.error.name === 'KeyLockedError') {
          // The key stopped working: the job cannot go on.
          throw result.error
        } else {
          progress.refused(item, result?.error.message ?? 'no result from the engine')
        }
      })
      progress.maybeEmit()
      await drain(MAX_IN_FLIGHT)
    }

    lineage.on('applied', onOutcome)
    lineage.on('rejected', onOutcome)
    let cancelled = false
    try {
      progress.begin(await source.count(signal))
      await this.ensureBinding(params, job, signer, prefix)
      // Never older than what the node already holds for the collection (a replicated edit, say):
      // a re-import after seeing one must win it, even on a slow clock.
      const floor = lineage.timestampFor({ method: 'contract', chain_id: params.chain_id, token_address: params.token_address, token_id: '' })
      for await (const item of source.items(signal)) {
        if (item.error !== undefined) {
          progress.refused(item, item.error)
          continue
        }
        try {
          batch.push({ item, request: { ...base, token_id: item.tokenId, nonce: itemNonce(job, item.id, prefix), timestamp: Math.max(Date.now(), floor), data: item.data } })
        } catch (err) {
          this.logUnexpected(job, item.label, err)
          progress.refused(item, unexpectedReason(err, 'preparing its transaction'))
          continue
        }
        if (batch.length >= PUBLISH_BATCH) await publishBatch()
      }
      await publishBatch()
    } catch (err) {
      if ((err as Error).name !== 'AbortError' || !signal.aborted) throw err
      cancelled = true
    } finally {
      try {
        // Whatever was published is applied anyway; wait so the report says how it ended.
        await drain(0)
      } finally {
        lineage.off('applied', onOutcome)
        lineage.off('rejected', onOutcome)
      }
    }
    if (!cancelled) progress.walked()
    const report = progress.report(cancelled ? 'cancelled' : 'done')
    return { report: ignored.count === 0 ? report : { ...report, ignored }, refused: cancelled ? Math.max(progress.refusedCount, info.refused) : progress.refusedCount }
  }

  /**
   * Publishes a batch. The engine answers each request on its own (a refused one does not stop
   * the others), so a whole batch failing means something nobody planned for: unless it is the
   * job's own failure (the key locked, the engine stopped, storage failing, a cancel), the batch
   * (nothing of which was stored) is published again one item at a time, and an item that still
   * fails alone is refused with a plain reason while the others go in.
   */
  private async publishIsolating (job: string, items: Array<{ item: SourceItem, request: UnsignedTransactionRequest }>, signer: TransactionSigner): Promise<PublishResult[]> {
    try {
      return await this.components.lineage.signAndPublish(items.map(b => b.request), signer)
    } catch (err) {
      if (JOB_FAILURES.has((err as Error).name)) throw err
      if (items.length === 1) {
        this.logUnexpected(job, items[0]?.item.label ?? '', err)
        return [{ error: new ImportItemError(unexpectedReason(err, 'publishing it')) }]
      }
      this.components.log('import job %s: a batch of %d items failed as a whole (%s); publishing them one at a time', job, items.length, shownText(String((err as Error).message), MAX_SHOWN_REASON_CHARS))
      const results: PublishResult[] = []
      for (const one of items) results.push(...await this.publishIsolating(job, [one], signer))
      return results
    }
  }

  /** An item's unexpected error, for whoever reads the node's log (the report gives only its class). */
  private logUnexpected (job: string, item: string, err: unknown): void {
    this.components.log.error('import job %s: unexpected error with %s: %s', job, shownText(item), shownText(String((err as Error | undefined)?.stack ?? err), MAX_SHOWN_REASON_CHARS))
  }

  /** Binds an unbound collection to the job's contract with the job's key (a replay-safe nonce too). */
  private async ensureBinding (params: ImportJobParams, job: string, signer: TransactionSigner, prefix: string): Promise<void> {
    const { lineage } = this.components
    const binding = lineage.binding(lineage.tokenKey(params.chain_id, params.token_address))
    if (binding !== undefined) {
      if (binding.meta_contract_id !== params.meta_contract_id) {
        throw new ImportBindingError(`This collection is governed by "${binding.meta_contract_id}", not "${params.meta_contract_id}"; import with that contract id.`)
      }
      return
    }
    const unsigned: UnsignedTransactionRequest = {
      ...this.unsigned(params), method: 'contract', token_id: '', alias: '', version: '', nonce: itemNonce(job, BINDING_ITEM, prefix), timestamp: lineage.timestampFor({ method: 'contract', chain_id: params.chain_id, token_address: params.token_address, token_id: '' }), data: '{}',
    }
    const [result] = await lineage.signAndPublish([unsigned], signer)
    let hash: string
    if (result?.hash !== undefined) {
      hash = result.hash
    } else if (result?.error.name === 'ReplayedTransactionError') {
      // Bound by an earlier run of this job, which crashed or was cancelled before it finished.
      hash = (result.error as Error & { existingHash: string }).existingHash
    } else if (result?.error.name === 'KeyLockedError') {
      throw result.error
    } else {
      throw new ImportBindingError(`Binding the collection to "${params.meta_contract_id}" was refused: ${result?.error.message ?? 'no result from the engine'}`)
    }
    await lineage.settled()
    const receipt = lineage.receipt(hash)
    if (receipt === undefined) throw new ImportStalledError(1)
    if (receipt.status === 'rejected') throw new ImportBindingError(`Binding the collection to "${params.meta_contract_id}" was rejected: ${receipt.reason}`)
    this.components.log('import job %s bound the collection to %s', job, params.meta_contract_id)
  }

  private async runCar (info: ImportJobInfo, signal: AbortSignal, emit: (event: ImportEvent) => void): Promise<ImportReport> {
    const { params, job } = info
    await this.checkUnchanged(params)
    // Its phases (blocks, then transactions) are started by the import itself.
    const progress = new Progress(job, emit, () => {})
    const car = new CarImport(this.components, progress, signal)
    try {
      await car.run(params.source)
    } catch (err) {
      if ((err as Error).name === 'AbortError' && signal.aborted) return { ...progress.report('cancelled'), car: car.summary }
      throw err
    }
    const { summary } = car
    return { ...progress.report('done'), total: summary.blocks, done: summary.blocks, car: summary }
  }
}
