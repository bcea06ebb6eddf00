import type { RemotePinServiceInfoWire } from '../../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../../client/index.js'
import { isMethodMissing } from '../../rules/go-live-wire.js'
import type { SnapshotInfo } from '../../rules/go-live-wire.js'
import { describeProblem } from '../../rules/problems.js'
import type { CollectionRef } from '../workspace.svelte.js'

/** What a snapshot's progress events carry that the screen can count. */
export interface SnapshotProgress { done: number, total: number | null }

/**
 * "Publish an IPFS snapshot": the collection's snapshots (newest first), the one being made with
 * its progress, the pinning services to send one to, and a CAR export. `available` is false when
 * the node has no snapshot methods (answered -32601), which the screen says in words.
 */
export class Snapshots {
  list = $state<SnapshotInfo[]>([])
  available = $state<boolean | null>(null)
  creating = $state(false)
  progress = $state<SnapshotProgress | null>(null)
  services = $state<RemotePinServiceInfoWire[]>([])
  /** What happened to each `<cid> <service>` pin request and each CAR export, in words. */
  outcomes = $state<Record<string, string>>({})
  problem = $state<string | null>(null)

  private unsubscribe: (() => void) | undefined

  constructor (private readonly client: UiClient) {}

  start (): void {
    this.unsubscribe ??= this.client.onNotification(n => {
      const { method, params } = n as unknown as { method: string, params: Record<string, unknown> }
      if (method !== 'lineage:snapshot:progress' || !this.creating) return
      const done = [params.done, params.tokens, params.blocks].find(v => typeof v === 'number') as number | undefined
      const total = typeof params.total === 'number' ? params.total : null
      if (done !== undefined) this.progress = { done, total }
    })
  }

  stop (): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }

  async load (collection: CollectionRef): Promise<void> {
    try {
      this.list = await this.client.call('snapshot_ls', collection.chain_id, collection.token_address)
      this.available = true
    } catch (err) {
      if (isMethodMissing(err)) this.available = false
      else this.problem = describeProblem(err)
    }
    try {
      this.services = await this.client.call('remote_pin_service_ls')
    } catch {
      // No remote pinning on this node: the snapshots show without "pin on" buttons.
      this.services = []
    }
  }

  async create (collection: CollectionRef, jsonSuffix: boolean): Promise<void> {
    this.creating = true
    this.progress = null
    try {
      const made = await this.client.call('snapshot_create', collection.chain_id, collection.token_address, { json_suffix: jsonSuffix })
      this.list = [made, ...this.list.filter(s => s.root_cid !== made.root_cid)]
      this.problem = null
    } catch (err) {
      if (isMethodMissing(err)) this.available = false
      else this.problem = describeProblem(err)
    } finally {
      this.creating = false
      this.progress = null
    }
  }

  async cancel (collection: CollectionRef): Promise<void> {
    try {
      await this.client.call('snapshot_cancel', collection.chain_id, collection.token_address)
    } catch (err) {
      this.problem = describeProblem(err)
    }
  }

  async pin (cid: string, service: string): Promise<void> {
    await this.record(`${cid} ${service}`, async () => {
      const pin = await this.client.call('remote_pin_add', cid, service)
      return `Sent to ${service}: ${pin.status}.`
    })
  }

  async exportCar (cid: string, path: string): Promise<void> {
    await this.record(`${cid} car`, async () => {
      await this.client.call('snapshot_export_car', cid, path.trim())
      return `Saved as ${path.trim()}.`
    })
  }

  private async record (key: string, work: () => Promise<string>): Promise<void> {
    try {
      this.outcomes = { ...this.outcomes, [key]: await work() }
    } catch (err) {
      this.outcomes = { ...this.outcomes, [key]: isMethodMissing(err) ? 'Not available on this node yet.' : describeProblem(err) }
    }
  }
}
