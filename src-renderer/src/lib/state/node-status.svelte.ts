import type { LineageClient, NodeInfo } from '../../../../src-main/api/rpc-types.js'
import { describeProblem } from '../format.js'

/** How often the status page asks the node again. */
const REFRESH_INTERVAL_MS = 5_000

/**
 * The node's status as the UI knows it: the last node_info, when it arrived, and the problem
 * that stopped the last refresh, if any. Uptime ticks locally between refreshes.
 */
export class NodeStatus {
  info = $state<NodeInfo | null>(null)
  problem = $state<string | null>(null)
  receivedAt = $state(0)
  now = $state(Date.now())
  uptimeMs = $derived(this.info === null ? 0 : this.info.uptime_ms + (this.now - this.receivedAt))
  loading = $derived(this.info === null && this.problem === null)

  private timers: Array<ReturnType<typeof setInterval>> = []

  constructor (private readonly client: LineageClient) {}

  async refresh (): Promise<void> {
    try {
      const info = await this.client.call('node_info')
      this.info = info
      this.receivedAt = Date.now()
      this.now = this.receivedAt
      this.problem = null
    } catch (err) {
      this.problem = describeProblem(err)
    }
  }

  start (): void {
    if (this.timers.length > 0) return
    void this.refresh()
    this.timers.push(setInterval(() => { void this.refresh() }, REFRESH_INTERVAL_MS))
    this.timers.push(setInterval(() => { this.now = Date.now() }, 1000))
  }

  stop (): void {
    for (const timer of this.timers) clearInterval(timer)
    this.timers = []
  }
}
