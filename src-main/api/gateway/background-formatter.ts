import type { Logger } from '@libp2p/logger'
import { readTurns } from './read-turns.js'
import type { DocumentStore } from './stored-documents.js'
import type { TokenDocuments } from './token-documents.js'
import { keepAll } from './keep-all.js'

export interface BackgroundFormatterComponents {
  documents: TokenDocuments
  stored: DocumentStore
  log: Logger
}

export interface BackgroundFormatterInit {
  /** Longest stretch of work before reads get a turn (ms). */
  sliceMs: number
  /** Rows read per query. */
  pageRows: number
  /** Quiet time after the last change before changed documents are made again (ms). */
  idleMs: number
  /** How long reads must have stopped before the next slice (ms); 0 takes a turn after every event-loop turn. */
  quietMs?: number
  /** Longest a slice waits for reads to stop (ms). */
  maxWaitMs?: number
}

/**
 * Keeps the gateway's documents made before anyone asks. At start a walk of the slots makes and
 * keeps (in SQLite) every token's document not kept yet, so that no read formats; the memory
 * cache is left to what readers ask for. After that, once writes have been quiet for `idleMs`,
 * the tokens they changed are made again (a binding change walks the slots again), so a bulk
 * import is not slowed by formatting and a later restart finds its documents ready. Every
 * document made is kept (DocumentStore). The work runs in slices that give way to reads
 * (`readTurns`): a node under gateway load right after a restart serves first and checks later.
 */
export class BackgroundFormatter {
  private controller = new AbortController()
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private again = false

  constructor (private readonly components: BackgroundFormatterComponents, private readonly init: BackgroundFormatterInit) {}

  /** Starts the walk that keeps every document; later changes schedule refreshes. Idempotent. */
  start (): void {
    if (this.running !== undefined || this.controller.signal.aborted) return
    this.components.documents.onChange = () => { this.schedule() }
    this.run(async signal => {
      const started = performance.now()
      const made = await keepAll(this.components.stored, this.components.documents, this.options(signal))
      if (!signal.aborted) this.components.log('gateway start: every token has its document kept, %d made now, in %d ms', made, Math.round(performance.now() - started))
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
      this.components.stored.releaseMemory()
      if (this.again && !signal.aborted) {
        this.again = false
        this.run(async s => { await this.refresh(s) })
      }
    })
  }

  private options (signal: AbortSignal): { signal: AbortSignal, sliceMs: number, pageRows: number, pause: () => Promise<void> } {
    const pause = readTurns({ reads: () => this.components.documents.reads, quietMs: this.init.quietMs ?? 0, maxWaitMs: this.init.maxWaitMs ?? 0, signal })
    return { signal, sliceMs: this.init.sliceMs, pageRows: this.init.pageRows, pause }
  }

  private async refresh (signal: AbortSignal): Promise<void> {
    const { documents } = this.components
    const changes = documents.takeChanges()
    const options = this.options(signal)
    let sliceStart = performance.now()
    for (const [dataKey, tokenKey] of changes.tokens) {
      if (signal.aborted) return
      documents.refresh(tokenKey, dataKey)
      if (performance.now() - sliceStart >= this.init.sliceMs) {
        await options.pause()
        sliceStart = performance.now()
      }
    }
    if (changes.collections && !signal.aborted) await keepAll(this.components.stored, documents, options)
  }
}
