import { SvelteMap } from 'svelte/reactivity'
import type { ChainTokenFlagsWire } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import type { CollectionRef } from './workspace.svelte.js'

/** A token's badge: what the chain says, and, in a collection hidden until minted, whether it is revealed. */
export type TokenFlags = ChainTokenFlagsWire & { revealed?: boolean }

/**
 * What the chain says of the tokens a page shows (minted, burned), for their badges. A
 * collection that is not watched has no flags: the list then shows none, rather than "unminted".
 * In a collection hidden until minted (reveal on mint), each also says whether it is revealed.
 */
export class ChainFlags {
  readonly byToken = new SvelteMap<string, TokenFlags>()
  watched = $state(false)
  private request = 0

  constructor (private readonly client: UiClient, private readonly collection: CollectionRef) {}

  async load (tokenIds: string[]): Promise<void> {
    const mine = ++this.request
    if (tokenIds.length === 0) return
    try {
      const address = this.collection.token_address.toLowerCase()
      const ids = tokenIds.slice(0, 100)
      const flags = await this.client.call('chain_tokens', this.collection.chain_id, address, ids)
      const revealed = await this.revealed(address, ids)
      if (mine !== this.request) return
      this.byToken.clear()
      for (const f of flags) this.byToken.set(f.token_id, revealed === undefined ? f : { ...f, revealed: revealed[f.token_id] ?? false })
      this.watched = true
    } catch {
      // Not watched (or no chain set): no badges.
      if (mine === this.request) { this.byToken.clear(); this.watched = false }
    }
  }

  /** Whether each token is revealed, when the collection is hidden until minted; undefined otherwise (or unknown). */
  private async revealed (address: string, ids: string[]): Promise<Record<string, boolean> | undefined> {
    try {
      const hidden = (await this.client.call('chain_reveal_ls')).some(r => String(r.chain_id) === String(this.collection.chain_id) && r.address.toLowerCase() === address)
      if (!hidden) return undefined
      return Object.fromEntries((await this.client.call('chain_reveal_tokens', this.collection.chain_id, address, ids)).map(r => [r.token_id, r.revealed]))
    } catch {
      // The minted badges stand without it.
      return undefined
    }
  }
}
