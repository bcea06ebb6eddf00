import type { ChainTxWire, ChainWriteEstimateWire, ChainWriteFunctionsWire, ChainWriteRequest, MetadataUpdateWire } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { CHAIN_WRITE_PROBLEMS } from '../rules/chain-words.js'
import { describeProblem } from '../rules/problems.js'
import type { CollectionRef } from './workspace.svelte.js'

/** How often a sent transaction's state is asked for. */
const TX_POLL_MS = 1_000
const MAX_TOKEN_ID = (2n ** 256n - 1n).toString()
const LABELS = { uri: 'New baseURI', key: 'Key', passphrase: 'Passphrase' }

export type WritePhase = 'idle' | 'estimating' | 'estimated' | 'sending' | 'tracking' | 'done' | 'failed'

function problemOf (err: unknown): string {
  const name = (err as { data?: { name?: unknown } } | null)?.data?.name
  return (typeof name === 'string' ? CHAIN_WRITE_PROBLEMS[name] : undefined) ?? describeProblem(err, LABELS)
}

/**
 * Setting a collection contract's baseURI from the app (or asking marketplaces to refresh):
 * estimate, a confirmation step, then the transaction's progress until it is confirmed.
 */
export class ChainWriteFlow {
  functions = $state<ChainWriteFunctionsWire | null>(null)
  estimate = $state<ChainWriteEstimateWire | null>(null)
  tx = $state<ChainTxWire | null>(null)
  updates = $state<MetadataUpdateWire[]>([])
  phase = $state<WritePhase>('idle')
  problem = $state<string | null>(null)
  private request: ChainWriteRequest | null = null
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor (private readonly client: UiClient, private readonly collection: CollectionRef) {}

  private get target (): { chain_id: string, address: string } {
    return { chain_id: this.collection.chain_id, address: this.collection.token_address.toLowerCase() }
  }

  async load (): Promise<void> {
    try {
      this.functions = await this.client.call('chain_write_functions', this.target.chain_id, this.target.address)
      this.updates = await this.client.call('chain_metadata_updates', this.target.chain_id, this.target.address)
    } catch (err) {
      this.problem = problemOf(err)
    }
  }

  async estimateBaseUri (key: string, uri: string): Promise<void> {
    await this.estimateFor({ ...this.target, key, action: 'base_uri', uri: uri.trim() })
  }

  async estimateRefresh (key: string): Promise<void> {
    await this.estimateFor({ ...this.target, key, action: 'metadata_update', token_id: '0', to_token_id: MAX_TOKEN_ID })
  }

  private async estimateFor (request: ChainWriteRequest): Promise<void> {
    this.stopPolling()
    this.problem = null
    this.tx = null
    this.estimate = null
    this.phase = 'estimating'
    try {
      this.estimate = await this.client.call('chain_write_estimate', request)
      this.request = request
      this.phase = 'estimated'
    } catch (err) {
      this.problem = problemOf(err)
      this.phase = 'idle'
    }
  }

  /** The confirmed step: sends what was estimated, for at most the cost shown. */
  async send (passphrase: string): Promise<boolean> {
    if (this.request === null || this.estimate === null) return false
    this.problem = null
    this.phase = 'sending'
    try {
      this.tx = await this.client.call('chain_write_send', this.request, passphrase, this.estimate.cost_wei)
      this.phase = 'tracking'
      this.poll()
      return true
    } catch (err) {
      this.problem = problemOf(err)
      this.phase = 'estimated'
      return false
    }
  }

  cancel (): void {
    this.phase = 'idle'
    this.estimate = null
    this.request = null
  }

  private poll (): void {
    this.timer = setTimeout(() => {
      void (async () => {
        if (this.tx === null) return
        try {
          this.tx = await this.client.call('chain_tx', this.tx.id)
        } catch {
          // The node is briefly away: ask again next round.
        }
        if (this.tx.state === 'confirmed' || this.tx.state === 'failed') {
          this.phase = this.tx.state === 'confirmed' ? 'done' : 'failed'
          await this.load()
        } else {
          this.poll()
        }
      })()
    }, TX_POLL_MS)
  }

  stopPolling (): void { clearTimeout(this.timer) }
}
