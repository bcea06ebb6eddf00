import type { ImportFolderOptions, ImportProgressInfo, ImportStatusInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'
import type { NodeActivity } from './activity.svelte.js'

/** How often a running job is asked for its status (notifications come more often when they flow). */
const POLL_MS = 1000

/**
 * One import job followed to its end: started, progress (WebSocket notifications as they come,
 * import_status polls as the fallback every transport has), cancel, and the report with every
 * rejected item and its reason.
 */
export class ImportRun {
  status = $state<ImportStatusInfo | null>(null)
  problem = $state<string | null>(null)
  starting = $state(false)
  private timer: ReturnType<typeof setTimeout> | undefined

  /** The newest progress seen, from either source. */
  progress = $derived.by((): ImportProgressInfo | null => {
    const job = this.status?.job
    if (job === undefined) return null
    const pushed = this.activity.imports[job] ?? null
    const polled = this.status?.progress ?? null
    if (pushed === null) return polled
    if (polled === null) return pushed
    return pushed.done >= polled.done ? pushed : polled
  })

  running = $derived.by(() => this.status?.running === true && this.activity.importReports[this.status.job] === undefined)

  constructor (readonly client: UiClient, private readonly activity: NodeActivity) {}

  async startFolder (path: string, options: ImportFolderOptions): Promise<void> {
    await this.start(async () => await this.client.call('import_folder', path, options))
  }

  async startCar (path: string): Promise<void> {
    await this.start(async () => await this.client.call('import_car', path))
  }

  private async start (begin: () => Promise<ImportStatusInfo>): Promise<void> {
    this.starting = true
    this.problem = null
    try {
      this.status = await begin()
      this.poll()
    } catch (err) {
      this.problem = describeProblem(err)
    } finally {
      this.starting = false
    }
  }

  /** Opens a kept job (a past report, or a run still going after the screen was left). */
  async show (job: string): Promise<void> {
    this.problem = null
    try {
      this.status = await this.client.call('import_status', job)
      if (this.status.running) this.poll()
    } catch (err) {
      this.problem = describeProblem(err)
    }
  }

  async cancel (): Promise<void> {
    if (this.status === null) return
    try {
      this.status = await this.client.call('import_cancel', this.status.job)
    } catch (err) {
      this.problem = describeProblem(err)
    }
  }

  private poll (): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { void this.refresh() }, POLL_MS)
  }

  private async refresh (): Promise<void> {
    if (this.status === null) return
    try {
      this.status = await this.client.call('import_status', this.status.job)
      if (this.status.running) this.poll()
    } catch (err) {
      this.problem = describeProblem(err)
      this.poll()
    }
  }

  dispose (): void {
    clearTimeout(this.timer)
  }
}
