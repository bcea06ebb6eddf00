import type { BindingInfo, KeyInfoWire, ServiceInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'

/** A collection bound on this node, with what the collections screen counts. */
export interface CollectionSummary {
  token_key: string
  chain_id: string
  token_address: string
  binding: BindingInfo | null
  tokens: number
  /** Refused writes (counted up to REJECTED_SCAN). */
  rejected: number
  /** The latest refusals' reasons. */
  reasons: string[]
}

export interface CollectionRef { chain_id: string, token_address: string }

const CURRENT_KEY = 'lineage.currentCollection'
const REJECTED_SCAN = 1000
const REASONS_SHOWN = 3

/**
 * What most screens share: the node's keys, its bound collections (with the one the creator is
 * working on, remembered between visits), and the contracts it runs.
 */
export class Workspace {
  keys = $state<KeyInfoWire[] | null>(null)
  collections = $state<CollectionSummary[]>([])
  contracts = $state<ServiceInfo[]>([])
  current = $state<CollectionRef | null>(null)
  problem = $state<string | null>(null)
  loadingCollections = $state(false)
  /** The node answered the list once: until then an empty list means "not known", never "none". */
  collectionsLoaded = $state(false)
  /** The node refused the API token (browser mode): sign in again. */
  tokenRefused = $state(false)

  constructor (private readonly client: UiClient, private readonly storage: Storage = window.localStorage) {
    try {
      const saved = storage.getItem(CURRENT_KEY)
      if (saved !== null) this.current = JSON.parse(saved) as CollectionRef
    } catch {
      this.current = null
    }
  }

  choose (collection: CollectionRef): void {
    this.current = { chain_id: collection.chain_id, token_address: collection.token_address }
    this.storage.setItem(CURRENT_KEY, JSON.stringify(this.current))
  }

  async refreshKeys (): Promise<void> {
    try {
      this.keys = await this.client.call('keys_list')
    } catch (err) {
      this.tokenRefused = (err as { code?: unknown }).code === -32004
      this.problem = describeProblem(err)
    }
  }

  async refreshContracts (): Promise<void> {
    this.contracts = (await this.client.call('list_services')).filter(s => s.kind === 'meta_contract')
  }

  async refreshCollections (): Promise<void> {
    this.loadingCollections = true
    try {
      const bindings = await this.client.call('get_transactions', {
        query: [{ column: 'method', op: '=', query: 'contract' }, { column: 'status', op: '=', query: 'applied' }],
        ordering: [{ column: 'timestamp', sort: 'desc' }],
        to: 1000,
      })
      // One entry per collection: the newest binding (they come newest first).
      const unique = bindings.filter((tx, i) => bindings.findIndex(other => other.token_key === tx.token_key) === i)
      this.collections = await Promise.all(unique.map(async tx => await this.summarize(tx.token_key, tx.chain_id, tx.token_address)))
      if (this.current === null && this.collections[0] !== undefined) this.choose(this.collections[0])
      this.collectionsLoaded = true
      this.problem = null
    } catch (err) {
      this.problem = describeProblem(err)
    } finally {
      this.loadingCollections = false
    }
  }

  private async summarize (tokenKey: string, chainId: string, address: string): Promise<CollectionSummary> {
    const [binding, page, rejected] = await Promise.all([
      this.client.call('get_meta_contract', tokenKey),
      this.client.call('list_tokens', { token_key: tokenKey }, { limit: 1 }),
      this.client.call('get_transactions', {
        query: [{ column: 'token_key', op: '=', query: tokenKey }, { column: 'status', op: '=', query: 'rejected' }],
        ordering: [{ column: 'timestamp', sort: 'desc' }],
        to: REJECTED_SCAN,
      }),
    ])
    const receipts = await Promise.all(rejected.slice(0, REASONS_SHOWN).map(async tx => await this.client.call('get_transaction_receipt', tx.hash)))
    return {
      token_key: tokenKey,
      chain_id: chainId,
      token_address: address,
      binding,
      tokens: page.total,
      rejected: rejected.length,
      reasons: receipts.flatMap(r => r === null ? [] : [`${r.reason}`]),
    }
  }
}
