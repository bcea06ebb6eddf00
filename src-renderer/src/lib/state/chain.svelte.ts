import type { ChainEndpointInfoWire, ChainWatchStatusWire } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'
import type { CollectionRef } from './workspace.svelte.js'

/** How often the chain screen asks the watcher's status while it is shown. */
const REFRESH_MS = 3_000

const sameCollection = (w: ChainWatchStatusWire, c: CollectionRef): boolean =>
  String(w.chain_id) === c.chain_id && w.address === c.token_address.toLowerCase()

/**
 * The chain settings as the Chain screen shows them: endpoints per network (owner only), each
 * watched collection's status, refreshed while the screen is open.
 */
export class ChainSettings {
  endpoints = $state<ChainEndpointInfoWire[]>([])
  watches = $state<ChainWatchStatusWire[]>([])
  loaded = $state(false)
  problem = $state<string | null>(null)
  private timer: ReturnType<typeof setInterval> | undefined

  constructor (private readonly client: UiClient) {}

  start (): void {
    void this.refresh()
    this.timer = setInterval(() => { void this.refresh() }, REFRESH_MS)
  }

  stop (): void { clearInterval(this.timer) }

  async refresh (): Promise<void> {
    try {
      const [endpoints, watches] = await Promise.all([this.client.call('chain_ls'), this.client.call('chain_status')])
      this.endpoints = endpoints
      this.watches = watches
      this.problem = null
    } catch (err) {
      this.problem = describeProblem(err)
    } finally {
      this.loaded = true
    }
  }

  watchOf (c: CollectionRef): ChainWatchStatusWire | undefined {
    return this.watches.find(w => sameCollection(w, c))
  }

  hasEndpoint (chainId: string): boolean {
    return this.endpoints.some(e => String(e.chain_id) === chainId)
  }

  /** The watches of a chain, for its endpoint's status line. */
  watchesOn (chainId: number): ChainWatchStatusWire[] {
    return this.watches.filter(w => w.chain_id === chainId)
  }

  /** Throws the node's error: the form shows it beside its fields. */
  async addEndpoint (chainId: string, httpUrl: string, confirmations: number): Promise<void> {
    await this.client.call('chain_set', chainId, { http_url: httpUrl, confirmations })
    await this.refresh()
  }

  async removeEndpoint (chainId: number): Promise<void> {
    await this.client.call('chain_rm', chainId)
    await this.refresh()
  }

  async watch (c: CollectionRef): Promise<void> {
    await this.client.call('chain_watch', c.chain_id, c.token_address.toLowerCase())
    await this.refresh()
  }

  /** Stops watching and forgets what was read (minted tokens, owners). */
  async unwatch (c: CollectionRef): Promise<void> {
    await this.client.call('chain_unwatch', c.chain_id, c.token_address.toLowerCase())
    await this.refresh()
  }

  async setActive (c: CollectionRef, active: boolean): Promise<void> {
    await this.client.call(active ? 'chain_watch_start' : 'chain_watch_stop', c.chain_id, c.token_address.toLowerCase())
    await this.refresh()
  }
}
