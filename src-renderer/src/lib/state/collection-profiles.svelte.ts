import { SvelteMap } from 'svelte/reactivity'
import type { CollectionProfileInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { displayAddress } from '../rules/address.js'
import { chainLabel } from '../rules/chains.js'
import { describeProblem } from '../rules/problems.js'

/**
 * The display names and images the creator gave collections, kept by the node (locally, never
 * published). Screens show `label()` wherever a collection is named; the address stays in
 * `address()` for tooltips and the collection's own page.
 */
export class CollectionProfiles {
  readonly byKey = new SvelteMap<string, CollectionProfileInfo>()
  problem = $state<string | null>(null)

  constructor (private readonly client: UiClient) {}

  async load (): Promise<void> {
    try {
      const profiles = await this.client.call('collection_profiles')
      this.byKey.clear()
      for (const p of profiles) this.byKey.set(p.token_key, p)
      this.problem = null
    } catch (err) {
      this.problem = describeProblem(err)
    }
  }

  /** Saves a name and image (both empty removes them); answers whether the node took them. */
  async save (collection: { token_key: string }, name: string, image: string): Promise<boolean> {
    try {
      const saved = await this.client.call('set_collection_profile', { token_key: collection.token_key }, { name, image })
      if (saved === null) this.byKey.delete(collection.token_key)
      else this.byKey.set(saved.token_key, saved)
      this.problem = null
      return true
    } catch (err) {
      this.problem = describeProblem(err)
      return false
    }
  }

  /** What people call the collection: its display name, or its address as wallets show it. */
  label (c: { token_key?: string, chain_id: string, token_address: string }): string {
    const named = this.find(c)?.name ?? ''
    return named !== '' ? named : displayAddress(c.token_address)
  }

  image (c: { token_key?: string, chain_id: string, token_address: string }): string {
    return this.find(c)?.image ?? ''
  }

  /** The address and chain, for a tooltip where the name is shown. */
  address (c: { chain_id: string, token_address: string }): string {
    return `${displayAddress(c.token_address)} on ${chainLabel(c.chain_id)}`
  }

  private find (c: { token_key?: string, chain_id: string, token_address: string }): CollectionProfileInfo | undefined {
    if (c.token_key !== undefined) return this.byKey.get(c.token_key)
    const address = c.token_address.toLowerCase()
    for (const p of this.byKey.values()) if (p.chain_id === c.chain_id && p.token_address === address) return p
    return undefined
  }
}
