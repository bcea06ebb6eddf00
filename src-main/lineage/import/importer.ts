import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import fs from 'node:fs'
import type { Logger } from '@libp2p/logger'
import type { CID } from 'multiformats/cid'
import { decodeVersionBlock, importCar } from '../../dag/index.js'
import { archivePages, decodeTransactionBlock, InvalidArchiveError, pageTransactions } from '../archive/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import type { Lineage, Outcome } from '../engine/index.js'
import { canonicalPublicKey, validateUnsignedRequest } from '../signing/index.js'
import type { TransactionSigner, UnsignedTransactionRequest } from '../signing/index.js'
import { DEFAULT_ALIAS, DEFAULT_VERSION, IMPORT_DONE_EVENT, IMPORT_PROGRESS_EVENT, MAX_IN_FLIGHT, MAX_REJECTED_KEPT, MAX_REPORTS_KEPT, PUBLISH_BATCH } from './constants.js'
import { ImportBindingError, ImportJobBusyError, ImportJobNotFoundError, ImportKeyError, ImportSourceChangedError, ImportSourceError, ImportStalledError } from './errors.js'
import { ImportJobs } from './jobs.js'
import { BINDING_ITEM, itemNonce } from './nonce.js'
import { throwIfAborted } from './abort.js'
import { checkImportPath } from './paths.js'
import { Progress } from './progress.js'
import { csvSource, folderSource } from './sources.js'
import type { SourceItem } from './sources.js'
import type { CarImportSummary, CarTransactionsSummary, ImportEvent, ImportProgressEvent, ImportJobInfo, ImportJobParams, ImportReport, ImportRequest, ImportRunOptions } from './types.js'

export interface ImporterComponents {
  lineage: Lineage
  store: Store
  blockstore: SqliteBlockstore
  log: Logger
}

export interface ImporterEvents {
  /** Every progress and done event of every run, for transports that forward events (WebSocket). */
  event: [ImportEvent]
}

/** dag-cbor's multicodec code: the codec of version blocks. */
const DAG_CBOR = 0x71

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
  create (request: ImportRequest): ImportJobInfo {
    const { path: source, format, stat } = checkImportPath(request.source)
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
    if (format !== 'car') {
      // The fields every item shares, checked once with the signing rules (errors name the field).
      const sample = validateUnsignedRequest({ ...this.unsigned(params), token_id: '0', nonce: itemNonce('check', 'check'), timestamp: Date.now(), data: '{}' })
      params.public_key = canonicalPublicKey(sample.public_key)
    }
    const id = randomUUID()
    this.jobs.create(id, format, params)
    this.components.log('import job %s: %s %s', id, format, source)
    return this.status(id)
  }

  /** A job's state and counters; while it runs, the counters saved so far. */
  status (job: string): ImportJobInfo {
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
    const info = this.status(job)
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
        const report = info.format === 'car'
          ? await this.runCar(info, controller.signal, emit)
          : await this.runItems(info, options.signer, controller.signal, emit)
        this.jobs.saveProgress(job, report.done, report.total, { applied: report.applied, unchanged: report.unchanged, rejected: report.rejected_count, skipped: report.skipped }, report.rejected)
        this.jobs.setState(job, report.state)
        this.keepReport(report)
        emit({ type: IMPORT_DONE_EVENT, job, report })
        this.components.log('import job %s %s: %d applied, %d rejected, %d skipped', job, report.state, report.applied, report.rejected_count, report.skipped)
        return report
      } catch (err) {
        this.jobs.setState(job, 'failed', (err as Error).message)
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

  private checkUnchanged (params: ImportJobParams): void {
    if (params.source_size === undefined) return
    let stat: fs.Stats
    try {
      stat = fs.statSync(params.source)
    } catch {
      throw new ImportSourceError(params.source, 'it no longer exists')
    }
    if (stat.size !== params.source_size || Math.trunc(stat.mtimeMs) !== params.source_mtime_ms) throw new ImportSourceChangedError(params.source)
  }

  private async runItems (info: ImportJobInfo, signer: TransactionSigner | undefined, signal: AbortSignal, emit: (event: ImportEvent) => void): Promise<ImportReport> {
    const { params, job } = info
    const { lineage } = this.components
    if (signer === undefined) throw new ImportKeyError('a folder or CSV import signs every item; give the key to sign with.')
    if (canonicalPublicKey(signer.publicKey) !== params.public_key) throw new ImportKeyError(`this job signs with ${params.public_key}; the key given is ${signer.publicKey}.`)
    this.checkUnchanged(params)
    const source = info.format === 'folder' ? folderSource(params.source) : csvSource(params.source)
    const progress = new Progress(job, emit, (done, total, counters) => { this.jobs.saveProgress(job, done, total, counters) })
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
      const results = await lineage.signAndPublish(items.map(b => b.request), signer)
      items.forEach(({ item }, i) => {
        const result = results[i]
        if (result?.hash !== undefined) {
          track(result.hash, item)
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
      await this.ensureBinding(params, job, signer)
      // Never older than what the node already holds for the collection (a replicated edit, say):
      // a re-import after seeing one must win it, even on a slow clock.
      const floor = lineage.timestampFor({ method: 'contract', chain_id: params.chain_id, token_address: params.token_address, token_id: '' })
      for await (const item of source.items(signal)) {
        if (item.error !== undefined) {
          progress.refused(item, item.error)
          continue
        }
        batch.push({ item, request: { ...base, token_id: item.tokenId, nonce: itemNonce(job, item.id), timestamp: Math.max(Date.now(), floor), data: item.data } })
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
    return progress.report(cancelled ? 'cancelled' : 'done')
  }

  /** Binds an unbound collection to the job's contract with the job's key (a replay-safe nonce too). */
  private async ensureBinding (params: ImportJobParams, job: string, signer: TransactionSigner): Promise<void> {
    const { lineage } = this.components
    const binding = lineage.binding(lineage.tokenKey(params.chain_id, params.token_address))
    if (binding !== undefined) {
      if (binding.meta_contract_id !== params.meta_contract_id) {
        throw new ImportBindingError(`This collection is governed by "${binding.meta_contract_id}", not "${params.meta_contract_id}"; import with that contract id.`)
      }
      return
    }
    const unsigned: UnsignedTransactionRequest = {
      ...this.unsigned(params), method: 'contract', token_id: '', alias: '', version: '', nonce: itemNonce(job, BINDING_ITEM), timestamp: lineage.timestampFor({ method: 'contract', chain_id: params.chain_id, token_address: params.token_address, token_id: '' }), data: '{}',
    }
    const [result] = await lineage.signAndPublish([unsigned], signer)
    let hash: string
    if (result?.hash !== undefined) {
      hash = result.hash
    } else if (result?.error.name === 'ReplayedTransactionError') {
      // Bound by an earlier run of this job, which crashed or was cancelled before it finished.
      hash = (result.error as Error & { existingHash: string }).existingHash
    } else {
      throw new ImportBindingError(`Binding the collection to "${params.meta_contract_id}" was refused: ${result?.error.message ?? 'no result from the engine'}`)
    }
    await lineage.settled()
    const receipt = lineage.receipt(hash)
    if (receipt === undefined) throw new ImportStalledError(1)
    if (receipt.status === 'rejected') throw new ImportBindingError(`Binding the collection to "${params.meta_contract_id}" was rejected: ${receipt.reason}`)
    this.components.log('import job %s bound the collection to %s', job, params.meta_contract_id)
  }

  /**
   * Replays the signed transactions of every archive among the CAR's roots, as replicated ones:
   * each is checked (fields, signature, nonce) and applied through this node's contracts in
   * canonical order, which rewrites the very blocks the CAR carried. Transactions this node
   * already holds are counted as known; refused ones are reported with the reason.
   */
  private async replayArchives (roots: CID[], signal: AbortSignal): Promise<CarTransactionsSummary> {
    const { blockstore, lineage } = this.components
    const summary: CarTransactionsSummary = { total: 0, applied: 0, rejected: 0, known: 0, refused: [] }
    const published: string[] = []
    let batch: Array<{ cid: CID, request: unknown }> = []
    const flush = async (): Promise<void> => {
      const results = lineage.publishBatch(batch.map(b => b.request), { replicated: true })
      results.forEach((result, i) => {
        if (result.known === true) {
          summary.known++
        } else if (result.hash !== undefined) {
          published.push(result.hash)
        } else if (result.error.name === 'ReplayedTransactionError') {
          summary.known++
        } else if (summary.refused.length < MAX_REJECTED_KEPT) {
          summary.refused.push({ cid: batch[i]?.cid.toString() ?? '', reason: result.error.message })
        }
      })
      batch = []
      // Bounded memory, and a cancel between batches leaves only whole batches applied.
      await lineage.settled()
    }
    for (const root of roots) {
      const pages = archivePages(root, blockstore.getSync(root) ?? new Uint8Array())
      if (pages === undefined) continue
      for (const page of pages) {
        for (const cid of pageTransactions(page, this.archiveBlock(page))) {
          throwIfAborted(signal)
          summary.total++
          batch.push({ cid, request: decodeTransactionBlock(cid, this.archiveBlock(cid)) })
          if (batch.length >= PUBLISH_BATCH) await flush()
        }
      }
    }
    if (batch.length > 0) await flush()
    for (const hash of published) {
      const status = lineage.receipt(hash)?.status
      if (status === 'applied') summary.applied++
      else if (status === 'rejected') summary.rejected++
    }
    return summary
  }

  private archiveBlock (cid: CID): Uint8Array {
    const bytes = this.components.blockstore.getSync(cid)
    if (bytes === undefined) throw new InvalidArchiveError(cid.toString(), 'a block it links to is not in the CAR')
    return bytes
  }

  private async runCar (info: ImportJobInfo, signal: AbortSignal, emit: (event: ImportEvent) => void): Promise<ImportReport> {
    const { params, job } = info
    const { blockstore, lineage } = this.components
    this.checkUnchanged(params)
    const progress = new Progress(job, emit, () => {})
    progress.begin(null)
    let result
    try {
      result = await importCar(blockstore, fs.createReadStream(params.source), { signal, onProgress: e => { progress.blocks(e.blocks) } })
    } catch (err) {
      if ((err as Error).name === 'AbortError' && signal.aborted) return progress.report('cancelled')
      throw err
    }
    let transactions: CarTransactionsSummary
    try {
      transactions = await this.replayArchives(result.roots, signal)
    } catch (err) {
      if ((err as Error).name === 'AbortError' && signal.aborted) return progress.report('cancelled')
      throw err
    }
    const car: CarImportSummary = { blocks: result.blocks, bytes: result.bytes, roots: result.roots.map(r => r.toString()), transactions, version_roots: [] }
    for (const root of result.roots) {
      if (root.code !== DAG_CBOR) continue
      const bytes = blockstore.getSync(root)
      if (bytes === undefined) continue
      try {
        const version = decodeVersionBlock(bytes)
        car.version_roots.push({
          cid: root.toString(),
          transaction: version.transaction.hash,
          method: version.transaction.method,
          timestamp: version.timestamp,
          known: lineage.transaction(version.transaction.hash) !== undefined,
        })
      } catch {
        // Not a version block: an ordinary DAG root.
      }
    }
    return { ...progress.report('done'), total: result.blocks, done: result.blocks, car }
  }
}

