import { IMPORT_PROGRESS_EVENT, JOB_SAVE_EVERY_ITEMS, MAX_REJECTED_KEPT, MAX_SHOWN_REASON_CHARS, PROGRESS_INTERVAL_MS } from './constants.js'
import type { RunCounters } from './jobs.js'
import { shownText } from './shown-text.js'
import type { ImportEvent, ImportPhase, ImportReport, RejectedItem } from './types.js'

/** What a report names of an item: its label for people, and its token when it has one. */
export interface ReportedItem {
  label: string
  tokenId?: string | undefined
}

/**
 * The running totals of one run: counts outcomes, keeps the first rejected items, measures the
 * rate, sends throttled progress events and saves the counters to the job row now and then.
 */
export class Progress {
  private total: number | null = null
  private phaseName: ImportPhase = 'items'
  private done = 0
  /** Items that needed work this run (not skipped): what the rate measures. */
  private worked = 0
  private readonly counters: RunCounters = { applied: 0, unchanged: 0, rejected: 0, skipped: 0, refused: 0 }
  private readonly rejected: RejectedItem[] = []
  private started = Date.now()
  private lastEmit = 0
  private lastSave = 0

  constructor (
    private readonly job: string,
    private readonly emit: (event: ImportEvent) => void,
    private readonly save: (done: number, total: number | null, counters: RunCounters) => void,
  ) {}

  begin (total: number | null): void {
    this.total = total
    this.started = Date.now()
    this.save(0, total, this.counters)
    this.send()
  }

  /** Starts counting something else (a CAR's blocks, then its transactions): `done` starts again at 0. */
  phase (name: ImportPhase, total: number | null): void {
    this.phaseName = name
    this.total = total
    this.done = 0
    this.worked = 0
    this.started = Date.now()
    this.send()
  }

  /** An item an earlier run published; its outcome is counted when its receipt is read. */
  skip (): void {
    this.counters.skipped++
  }

  /** An item refused before it was published (unreadable, invalid, refused by a check): the ledger never sees it. */
  refused (item: ReportedItem, reason: string): void {
    this.counters.refused++
    this.outcome(item, 'rejected', reason)
  }

  /** Items this run refused before publishing them. */
  get refusedCount (): number {
    return this.counters.refused
  }

  /** `unchanged`: applied, but the item's content was already there, so nothing new was stored. */
  outcome (item: ReportedItem, status: 'applied' | 'rejected', reason: string, unchanged = false): void {
    this.done++
    this.worked++
    if (status === 'applied') {
      this.counters.applied++
      if (unchanged) this.counters.unchanged++
    } else {
      this.counters.rejected++
      // Everything a report shows is made safe here, the one place rejections are recorded: a
      // contract's reason, or a name from the source, reaches the CLI, the UI and the job row.
      if (this.rejected.length < MAX_REJECTED_KEPT) {
        this.rejected.push({ item: shownText(item.label), ...(item.tokenId === undefined ? {} : { token_id: shownText(item.tokenId) }), reason: shownText(reason, MAX_SHOWN_REASON_CHARS) })
      }
    }
    if (this.done - this.lastSave >= JOB_SAVE_EVERY_ITEMS) {
      this.lastSave = this.done
      this.save(this.done, this.total, this.counters)
    }
    this.maybeEmit()
  }

  /** CAR imports count blocks. */
  blocks (n: number): void {
    this.done = n
    this.worked = n
    this.maybeEmit()
  }

  maybeEmit (): void {
    if (Date.now() - this.lastEmit >= PROGRESS_INTERVAL_MS) this.send()
  }

  /**
   * The run walked the whole source: what it walked is the total, even if files came or went
   * between the count and the walk (a file gone before it was listed is not an item).
   */
  walked (): void {
    this.total = this.done
  }

  report (state: 'done' | 'cancelled'): ImportReport {
    this.send()
    return {
      job: this.job,
      state,
      total: this.total,
      done: this.done,
      applied: this.counters.applied,
      unchanged: this.counters.unchanged,
      rejected: [...this.rejected],
      rejected_count: this.counters.rejected,
      skipped: this.counters.skipped,
    }
  }

  private send (): void {
    this.lastEmit = Date.now()
    const seconds = (Date.now() - this.started) / 1000
    // Skipped items cost almost nothing; counting them would promise a rate the rest cannot keep.
    const workedItems = this.worked - Math.min(this.worked, this.counters.skipped)
    const rate = seconds > 0 ? workedItems / seconds : 0
    const left = this.total === null ? null : Math.max(this.total - this.done, 0)
    this.emit({
      type: IMPORT_PROGRESS_EVENT,
      job: this.job,
      phase: this.phaseName,
      done: this.done,
      total: this.total,
      applied: this.counters.applied,
      unchanged: this.counters.unchanged,
      rejected: this.counters.rejected,
      skipped: this.counters.skipped,
      rate: Math.round(rate * 10) / 10,
      eta_seconds: left === null || rate <= 0 ? null : Math.ceil(left / rate),
    })
  }
}
