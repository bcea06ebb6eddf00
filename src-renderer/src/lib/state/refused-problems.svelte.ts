import type { RejectedItemInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { checkMetadata } from '../rules/metadata.js'

/** How many refused items of a report get every problem listed (each costs two calls to the node). */
export const REFUSED_DETAILS_LIMIT = 50

/**
 * Every problem of an import's refused items, not only the first the collection's rules named:
 * each refused document is read back from the node (the refused write keeps it) and checked
 * with the editor's ERC-721 rules. Items refused before they were published (not JSON, a bad
 * file name) have one reason, which stays as it is.
 */
export class RefusedProblems {
  /** By item: every problem's message; absent while not read (or when there is none to add). */
  byItem = $state<Record<string, string[]>>({})
  // Bookkeeping only (never shown), so a plain Set: nothing needs to react to it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly asked = new Set<string>()

  constructor (private readonly client: UiClient) {}

  async load (collection: { chain_id: string, token_address: string }, items: RejectedItemInfo[]): Promise<void> {
    for (const item of items.slice(0, REFUSED_DETAILS_LIMIT)) {
      if (item.token_id === undefined || this.asked.has(item.item) || !item.reason.startsWith('invalid ERC-721 metadata')) continue
      this.asked.add(item.item)
      try {
        const dataKey = await this.client.call('generate_data_key', collection.chain_id, collection.token_address, item.token_id)
        const [refused] = await this.client.call('get_transactions', {
          query: [{ column: 'data_key', op: '=', query: dataKey }, { column: 'status', op: '=', query: 'rejected' }],
          ordering: [{ column: 'timestamp', sort: 'desc' }],
          to: 1,
        })
        if (refused === undefined) continue
        const problems = checkMetadata(JSON.parse(refused.data) as unknown).map(p => p.message)
        if (problems.length > 0) this.byItem = { ...this.byItem, [item.item]: problems }
      } catch {
        // The contract's own reason stays shown: the details are extra.
      }
    }
  }
}
