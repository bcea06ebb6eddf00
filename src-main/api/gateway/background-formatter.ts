import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Logger } from '@libp2p/logger'
import type { Search } from '../../lineage/search/index.js'
import type { DocumentStore } from './stored-documents.js'
import type { TokenDocuments } from './token-documents.js'
import { keepAll, loadStored, warmUp } from './warm-up.js'

export interface BackgroundFormatterComponents {
  documents: TokenDocuments
  stored: DocumentStore
  search: Search
  log: Logger
}

export interface BackgroundFormatterInit {
  /** Longest stretch of work before reads get a turn (ms). */
  sliceMs: number
  /** Rows read per query. */
  pageRows: number
  /** Quiet time after the last change before changed documents are made again (ms). */
  idleMs: number
}

/**
 * Keeps the gateway's documents made before anyone asks. At start: the documents kept from the
 * last run that are still current (one query a page) fill the cache, then the slots walk formats
 * the rest while the cache has room, then a last walk makes and keeps (in SQLite only) every
 * token's document not kept yet, so that no read formats. After that, once writes have been
 * quiet for `idleMs`, the tokens they changed are made again (a binding change walks the slots
 * again), so a bulk import is not slowed by formatting and a later restart finds its documents
 * ready. Every document made is kept (DocumentStore).
 */
export class BackgroundFormatter {
  private controller = new AbortController()
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private again = false

  constructor (private readonly components: BackgroundFormatterComponents, private readonly init: BackgroundFormatterInit) {}

  /** Starts the warm-up; later changes schedule refreshes. Idempotent. */
  start (): void {
    if (this.running !== undefined || this.controller.signal.aborted) return
    this.components.documents.onChange = () => { this.schedule() }
    this.run(async signal => {
      const started = performance.now()
      const options = { signal, sliceMs: this.init.sliceMs, pageRows: this.init.pageRows }
      const kept = await loadStored(this.components.stored, this.components.documents, options)
      const rows = await warmUp(this.components.search, this.components.documents, options)
      const made = await keepAll(this.components.stored, this.components.documents, options)
      if (!signal.aborted) this.components.log('gateway warm-up: %d documents kept from the last run, %d slots looked at, %d documents in memory, %d more made and kept in %d ms', kept, rows, this.components.documents.size, made, Math.round(performance.now() - started))
    })
  }

  /** Stops any work in flight and writes the documents not yet kept. */
  stop (): void {
    this.controller.abort()
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.components.documents.onChange = () => {}
    this.components.stored.flush()
  }

  /** Resolves once no work is in flight or scheduled (for tests and benchmarks). */
  async idle (): Promise<void> {
    while (this.running !== undefined || this.timer !== undefined) {
      await (this.running ?? new Promise(resolve => setTimeout(resolve, this.init.idleMs)))
    }
    this.components.stored.flush()
  }

  private schedule (): void {
    if (this.controller.signal.aborted) return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (this.running !== undefined) {
        this.again = true
        return
      }
      this.run(async signal => { await this.refresh(signal) })
    }, this.init.idleMs)
    this.timer.unref()
  }

  private run (work: (signal: AbortSignal) => Promise<void>): void {
    const signal = this.controller.signal
    this.running = work(signal).catch((err: unknown) => {
      // Not fatal: every document is still made on its first read (and fails there the same way).
      this.components.log.error('gateway background formatting stopped: %e', err)
    }).finally(() => {
      this.running = undefined
      this.components.stored.flush()
      if (this.again && !signal.aborted) {
        this.again = false
        this.run(async s => { await this.refresh(s) })
      }
    })
  }

  private async refresh (signal: AbortSignal): Promise<void> {
    const { documents } = this.components
    const changes = documents.takeChanges()
    let sliceStart = performance.now()
    for (const [dataKey, tokenKey] of changes.tokens) {
      if (signal.aborted) return
      documents.refresh(tokenKey, dataKey)
      if (performance.now() - sliceStart >= this.init.sliceMs) {
        await nextTurn()
        sliceStart = performance.now()
      }
    }
    if (changes.collections && !signal.aborted) {
      const options = { signal, sliceMs: this.init.sliceMs, pageRows: this.init.pageRows }
      await warmUp(this.components.search, documents, options)
      await keepAll(this.components.stored, documents, options)
    }
  }
}
