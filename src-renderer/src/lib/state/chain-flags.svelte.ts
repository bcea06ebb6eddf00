import { SvelteMap } from 'svelte/reactivity'
import type { ChainTokenFlagsWire } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import type { CollectionRef } from './workspace.svelte.js'

/**
 * What the chain says of the tokens a page shows (minted, burned), for their badges. A
 * collection that is not watched has no flags: the list then shows none, rather than "unminted".
 * A `revealed` flag joins these when reveal on mint lands.
 */
export class ChainFlags {
  readonly byToken = new SvelteMap<string, ChainTokenFlagsWire>()
  watched = $state(false)
  private request = 0

  constructor (private readonly client: UiClient, private readonly collection: CollectionRef) {}

  async load (tokenIds: string[]): Promise<void> {
    const mine = ++this.request
    if (tokenIds.length === 0) return
    try {
      const flags = await this.client.call('chain_tokens', this.collection.chain_id, this.collection.token_address.toLowerCase(), tokenIds.slice(0, 100))
      if (mine !== this.request) return
      this.byToken.clear()
      for (const f of flags) this.byToken.set(f.token_id, f)
      this.watched = true
    } catch {
      // Not watched (or no chain set): no badges.
      if (mine === this.request) { this.byToken.clear(); this.watched = false }
    }
  }
}
