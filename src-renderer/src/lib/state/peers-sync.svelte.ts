import type { FollowInfo, PeerConnectionInfo, ReplicationStatusInfo, SyncProgressInfo, SyncResultInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'

/** How often the screen asks the node again for peers and follows (progress arrives as events). */
const REFRESH_INTERVAL_MS = 5_000

/**
 * The Peers & sync screen's state: connected peers, followed collections, the syncs running
 * (from `lineage:sync:progress` events, and replication_status on each refresh) and how the last
 * "sync now" ended. Each action refreshes what it changed and leaves a problem in words on failure.
 */
export class PeersAndSync {
  peers = $state<PeerConnectionInfo[]>([])
  follows = $state<FollowInfo[]>([])
  status = $state<ReplicationStatusInfo | null>(null)
  /** Running syncs by `<peer>/<collection>`. */
  running = $state<Record<string, SyncProgressInfo>>({})
  results = $state<SyncResultInfo[] | null>(null)
  problem = $state<string | null>(null)
  /** Which part of the screen the problem belongs beside (null: the screen as a whole). */
  problemAt = $state<'peers' | 'follows' | 'sync' | null>(null)
  busy = $state(false)
  syncing = $state(false)

  private timer: ReturnType<typeof setInterval> | undefined
  private unsubscribe: (() => void) | undefined

  constructor (private readonly client: UiClient) {}

  start (): void {
    if (this.timer !== undefined) return
    this.unsubscribe = this.client.onNotification(n => {
      if (n.method !== 'lineage:sync:progress') return
      const key = `${n.params.peer_id}/${n.params.token_key}`
      const others = Object.fromEntries(Object.entries(this.running).filter(([k]) => k !== key))
      this.running = n.params.phase === 'done' ? others : { ...others, [key]: n.params }
    })
    void this.refresh()
    this.timer = setInterval(() => { void this.refresh() }, REFRESH_INTERVAL_MS)
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.unsubscribe?.()
  }

  async refresh (): Promise<void> {
    try {
      const [peers, follows, status] = await Promise.all([this.client.call('peers'), this.client.call('follow_ls'), this.client.call('replication_status')])
      this.peers = peers
      this.follows = follows
      this.status = status
      this.running = Object.fromEntries(status.syncing.filter(s => s.phase !== 'done').map(s => [`${s.peer_id}/${s.token_key}`, s]))
    } catch (err) {
      this.problem = describeProblem(err)
      this.problemAt = null
    }
  }

  /** Connects to a peer by its address; answers whether it worked. */
  async connect (address: string): Promise<boolean> {
    return await this.act('peers', async () => { await this.client.call('peer_connect', address.trim()) })
  }

  async disconnect (peerId: string): Promise<boolean> {
    return await this.act('peers', async () => { await this.client.call('peer_disconnect', peerId) })
  }

  async follow (chainId: string, address: string): Promise<boolean> {
    return await this.act('follows', async () => { await this.client.call('follow_add', chainId.trim(), address.trim()) })
  }

  async unfollow (tokenKey: string): Promise<boolean> {
    return await this.act('follows', async () => { await this.client.call('follow_rm', tokenKey) })
  }

  /** Syncs every followed collection (or one) with every connected peer now. */
  async syncNow (tokenKey?: string): Promise<void> {
    this.syncing = true
    try {
      this.results = await this.client.call('sync_now', tokenKey === undefined ? {} : { token_key: tokenKey })
      this.problem = null
    } catch (err) {
      this.problem = describeProblem(err)
      this.problemAt = 'sync'
    } finally {
      this.syncing = false
      await this.refresh()
    }
  }

  async cancel (): Promise<void> {
    await this.act('sync', async () => { await this.client.call('sync_cancel') })
  }

  private async act (where: 'peers' | 'follows' | 'sync', work: () => Promise<void>): Promise<boolean> {
    this.busy = true
    try {
      await work()
      this.problem = null
      return true
    } catch (err) {
      this.problem = describeProblem(err)
      this.problemAt = where
      return false
    } finally {
      this.busy = false
      await this.refresh()
    }
  }
}
