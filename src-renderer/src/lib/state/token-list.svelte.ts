import type { BrowseItemInfo, BrowseSortName, FacetInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { toggleChoice } from '../rules/browse.js'
import type { TraitChoice } from '../rules/browse.js'
import { describeProblem } from '../rules/problems.js'
import type { CollectionRef } from './workspace.svelte.js'

/** Tokens a page shows: a grid of 4 × 6 on a wide window, or 24 table rows. */
export const TOKEN_PAGE_SIZE = 24
export type BrowseView = 'grid' | 'table'
const VIEW_KEY = 'lineage.tokenView'
/** Typing pauses this long before the search is sent. */
const SEARCH_DELAY_MS = 200

/**
 * A collection's tokens as the creator browses them (browse_tokens): a search of names and
 * descriptions, trait filters with counts, a sort and numbered pages, in a grid or a table.
 */
export class TokenBrowser {
  items = $state<BrowseItemInfo[]>([])
  facets = $state<FacetInfo[]>([])
  total = $state(0)
  pages = $state(1)
  page = $state(1)
  text = $state('')
  sort = $state<BrowseSortName>('token_id')
  filters = $state<TraitChoice[]>([])
  view = $state<BrowseView>('grid')
  loading = $state(false)
  problem = $state<string | null>(null)
  /** The collection has no binding on this node: nothing to browse yet. */
  unbound = $state(false)

  hasNext = $derived(this.page < this.pages)
  hasPrevious = $derived(this.page > 1)
  firstIndex = $derived((this.page - 1) * TOKEN_PAGE_SIZE)
  narrowed = $derived(this.text.trim() !== '' || this.filters.length > 0)

  private request = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor (private readonly client: UiClient, private readonly collection: CollectionRef, private readonly storage: Storage = window.localStorage) {
    this.view = storage.getItem(VIEW_KEY) === 'table' ? 'table' : 'grid'
  }

  async load (): Promise<void> {
    const mine = ++this.request
    this.loading = true
    try {
      const answer = await this.client.call('browse_tokens', { chain_id: this.collection.chain_id, token_address: this.collection.token_address }, {
        text: this.text.slice(0, 200),
        traits: this.filters,
        sort: this.sort,
        page: this.page,
        page_size: TOKEN_PAGE_SIZE,
      })
      // A slower answer to an older question must not replace a newer one.
      if (mine !== this.request) return
      this.items = answer.items
      this.facets = answer.facets
      this.total = answer.total
      this.pages = answer.pages
      this.unbound = answer.meta_contract_id === null
      this.problem = null
      // Filters narrowed the list below the page shown: show its last page.
      if (this.page > answer.pages) await this.goTo(answer.pages)
    } catch (err) {
      if (mine === this.request) this.problem = describeProblem(err)
    } finally {
      if (mine === this.request) this.loading = false
    }
  }

  /** As the creator types: the search is sent once typing pauses. */
  search (text: string): void {
    this.text = text
    this.page = 1
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { void this.load() }, SEARCH_DELAY_MS)
  }

  async toggleTrait (trait_type: string, value: string): Promise<void> {
    this.filters = toggleChoice(this.filters, { trait_type, value })
    this.page = 1
    await this.load()
  }

  async clearFilters (): Promise<void> {
    this.filters = []
    this.text = ''
    this.page = 1
    await this.load()
  }

  async setSort (sort: BrowseSortName): Promise<void> {
    this.sort = sort
    this.page = 1
    await this.load()
  }

  async goTo (page: number): Promise<void> {
    this.page = Math.min(Math.max(1, Math.floor(page)), this.pages)
    await this.load()
  }

  async next (): Promise<void> { if (this.hasNext) await this.goTo(this.page + 1) }
  async previous (): Promise<void> { if (this.hasPrevious) await this.goTo(this.page - 1) }

  setView (view: BrowseView): void {
    this.view = view
    this.storage.setItem(VIEW_KEY, view)
  }

  stop (): void {
    clearTimeout(this.timer)
  }
}
