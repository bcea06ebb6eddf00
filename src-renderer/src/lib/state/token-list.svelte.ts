import type { TokenSummaryInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'
import type { CollectionRef } from './workspace.svelte.js'

/** Tokens a page shows: one keyset page of list_tokens, fast however deep the collection is. */
export const TOKEN_PAGE_SIZE = 50

/**
 * One page of a collection's tokens, a digit search (`token_id_contains`), and paging by cursor:
 * the cursors of earlier pages are kept so Previous needs no offset scan.
 */
export class TokenList {
  items = $state<TokenSummaryInfo[]>([])
  total = $state(0)
  filter = $state('')
  loading = $state(false)
  problem = $state<string | null>(null)
  /** The cursor of each page shown so far; the last is the current page's. */
  private cursors = $state<Array<string | undefined>>([undefined])
  private nextCursor = $state<string | null>(null)
  private request = 0

  page = $derived(this.cursors.length)
  hasNext = $derived(this.nextCursor !== null)
  hasPrevious = $derived(this.cursors.length > 1)
  firstIndex = $derived((this.cursors.length - 1) * TOKEN_PAGE_SIZE)

  constructor (private readonly client: UiClient, private readonly collection: CollectionRef) {}

  async load (): Promise<void> {
    const mine = ++this.request
    this.loading = true
    try {
      const cursor = this.cursors.at(-1)
      const page = await this.client.call('list_tokens', { chain_id: this.collection.chain_id, token_address: this.collection.token_address }, {
        limit: TOKEN_PAGE_SIZE,
        ...(cursor === undefined ? {} : { cursor }),
        ...(this.filter === '' ? {} : { token_id_contains: this.filter }),
      })
      // A slower answer to an older search must not replace a newer one.
      if (mine !== this.request) return
      this.items = page.items
      this.total = page.total
      this.nextCursor = page.next_cursor
      this.problem = null
    } catch (err) {
      if (mine === this.request) this.problem = describeProblem(err)
    } finally {
      if (mine === this.request) this.loading = false
    }
  }

  /** Digits only: token ids are decimal. Anything else is dropped as it is typed. */
  async search (text: string): Promise<void> {
    this.filter = text.replace(/\D/g, '').slice(0, 78)
    this.cursors = [undefined]
    await this.load()
  }

  async next (): Promise<void> {
    if (this.nextCursor === null) return
    this.cursors = [...this.cursors, this.nextCursor]
    await this.load()
  }

  async previous (): Promise<void> {
    if (this.cursors.length <= 1) return
    this.cursors = this.cursors.slice(0, -1)
    await this.load()
  }
}
