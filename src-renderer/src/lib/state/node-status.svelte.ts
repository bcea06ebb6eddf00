import type { NodeInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { describeProblem } from '../format.js'
import { connectionOf } from '../rules/connection.js'
import type { Connection } from '../rules/connection.js'

/** How often the node is asked again while it answers. */
const REFRESH_INTERVAL_MS = 5_000
/** While it does not answer, it is asked this often, so the app reconnects soon after it is back. */
const RETRY_INTERVAL_MS = 2_000

/**
 * The node's status as the UI knows it: the last node_info, when it arrived, and the problem
 * that stopped the last refresh, if any. Uptime ticks locally between refreshes. `connection`
 * is what every screen shows: a node that stopped answering is never shown as running, and the
 * counts it last gave are marked as the last known ones.
 */
export class NodeStatus {
  info = $state<NodeInfo | null>(null)
  problem = $state<string | null>(null)
  receivedAt = $state(0)
  now = $state(Date.now())
  /** When the node last stopped answering; null while it answers. */
  lostAt = $state<number | null>(null)
  /** Counts up each time the node answers again after a loss: screens reload what they show. */
  reconnections = $state(0)
  uptimeMs = $derived(this.info === null ? 0 : this.info.uptime_ms + (this.now - this.receivedAt))
  loading = $derived(this.info === null && this.problem === null)
  connection: Connection = $derived(connectionOf(this.info, this.problem))
  /** False while the node does not answer: data shown is the last known, not the node's. */
  reachable = $derived(this.connection.kind !== 'lost')

  private timers: Array<ReturnType<typeof setInterval>> = []
  private retry: ReturnType<typeof setTimeout> | undefined

  private unsubscribe: (() => void) | undefined

  constructor (private readonly client: UiClient) {}

  async refresh (): Promise<void> {
    try {
      const info = await this.client.call('node_info')
      const wasLost = this.lostAt !== null
      this.info = info
      this.receivedAt = Date.now()
      this.now = this.receivedAt
      this.problem = null
      this.lostAt = null
      if (wasLost) this.reconnections++
    } catch (err) {
      this.problem = describeProblem(err)
      this.lostAt ??= Date.now()
      this.scheduleRetry()
    }
  }

  private scheduleRetry (): void {
    if (this.timers.length === 0) return
    clearTimeout(this.retry)
    this.retry = setTimeout(() => { void this.refresh() }, RETRY_INTERVAL_MS)
  }

  start (): void {
    if (this.timers.length > 0) return
    this.timers.push(setInterval(() => { void this.refresh() }, REFRESH_INTERVAL_MS))
    this.timers.push(setInterval(() => { this.now = Date.now() }, 1000))
    this.unsubscribe = this.client.onDisconnect?.(() => { void this.refresh() })
    void this.refresh()
  }

  stop (): void {
    for (const timer of this.timers) clearInterval(timer)
    this.timers = []
    clearTimeout(this.retry)
    this.unsubscribe?.()
  }
}
