import { IMPORT_PROGRESS_EVENT, JOB_SAVE_EVERY_ITEMS, MAX_REJECTED_KEPT, PROGRESS_INTERVAL_MS } from './constants.js'
import type { SourceItem } from './sources.js'
import type { ImportCounters, ImportEvent, ImportReport, RejectedItem } from './types.js'

/**
 * The running totals of one run: counts outcomes, keeps the first rejected items, measures the
 * rate, sends throttled progress events and saves the counters to the job row now and then.
 */
export class Progress {
  private total: number | null = null
  private done = 0
  /** Items that needed work this run (not skipped): what the rate measures. */
  private worked = 0
  private readonly counters: ImportCounters = { applied: 0, unchanged: 0, rejected: 0, skipped: 0 }
  private readonly rejected: RejectedItem[] = []
  private started = Date.now()
  private lastEmit = 0
  private lastSave = 0

  constructor (
    private readonly job: string,
    private readonly emit: (event: ImportEvent) => void,
    private readonly save: (done: number, total: number | null, counters: ImportCounters) => void,
  ) {}

  begin (total: number | null): void {
    this.total = total
    this.started = Date.now()
    this.save(0, total, this.counters)
    this.send()
  }

  /** An item an earlier run published; its outcome is counted when its receipt is read. */
  skip (): void {
    this.counters.skipped++
  }

  refused (item: SourceItem, reason: string): void {
    this.outcome(item, 'rejected', reason)
  }

  /** `unchanged`: applied, but the item's content was already there, so nothing new was stored. */
  outcome (item: SourceItem, status: 'applied' | 'rejected', reason: string, unchanged = false): void {
    this.done++
    this.worked++
    if (status === 'applied') {
      this.counters.applied++
      if (unchanged) this.counters.unchanged++
    } else {
      this.counters.rejected++
      if (this.rejected.length < MAX_REJECTED_KEPT) this.rejected.push({ item: item.label, ...(item.tokenId === undefined ? {} : { token_id: item.tokenId }), reason })
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
