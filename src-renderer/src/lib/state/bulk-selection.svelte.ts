import type { BulkSelectionParam } from '../../../../src-main/api/rpc-types.js'
import type { TraitChoice } from '../rules/browse.js'

/** What the browser is narrowed to: the "all matching" selection follows it. */
export interface BrowserFilter { text: string, filters: TraitChoice[], total: number }

/**
 * Tokens chosen in the collection browser for a bulk edit: ticked one by one (across pages), or
 * "all matching" the browser's current search and filters (then the count is the browser's total).
 */
export class BulkSelection {
  ids = $state<string[]>([])
  allMatching = $state(false)

  constructor (private readonly browser: BrowserFilter) {}

  /** Tokens selected: with "all matching", the browser's total as it is now. */
  get count (): number {
    return this.allMatching ? this.browser.total : this.ids.length
  }

  has (tokenId: string): boolean {
    return this.allMatching || this.ids.includes(tokenId)
  }

  toggle (tokenId: string): void {
    // Unticking one of "all matching" would need a list longer than any page: start a list from here.
    if (this.allMatching) this.allMatching = false
    this.ids = this.ids.includes(tokenId) ? this.ids.filter(id => id !== tokenId) : [...this.ids, tokenId]
  }

  selectAllMatching (): void {
    this.allMatching = true
    this.ids = []
  }

  clear (): void {
    this.allMatching = false
    this.ids = []
  }

  /** What the node is sent: the ids, or the browser's search and filters as they are now. */
  param (): BulkSelectionParam {
    if (!this.allMatching) return { token_ids: [...this.ids] }
    const text = this.browser.text.trim()
    return { filter: { ...(text === '' ? {} : { text: text.slice(0, 200) }), traits: this.browser.filters.map(f => ({ ...f })) } }
  }
}
