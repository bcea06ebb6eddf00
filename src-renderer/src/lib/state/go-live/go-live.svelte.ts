import type { UiClient } from '../../client/index.js'
import type { GoLivePath } from '../../rules/go-live.js'
import type { CollectionRef } from '../workspace.svelte.js'
import { OwnServer } from './own-server.svelte.js'
import { PeerDial } from './peer-dial.svelte.js'
import { Snapshots } from './snapshots.svelte.js'
import { UriCheck } from './uri-check.svelte.js'

/**
 * The Go live screen: which path the creator follows, the collection's first token (what each
 * check fetches), and each path's own state and check.
 */
export class GoLive {
  path = $state<GoLivePath>('server')
  /** The collection's lowest token id; null while unknown or when it has no token yet. */
  firstTokenId = $state<string | null>(null)
  readonly server: OwnServer
  readonly snapshots: Snapshots
  /** A relay server's address, for a computer the internet cannot reach. */
  readonly relay: PeerDial
  readonly checks: Record<GoLivePath, UriCheck>

  constructor (private readonly client: UiClient) {
    this.server = new OwnServer(client)
    this.snapshots = new Snapshots(client)
    this.relay = new PeerDial(client)
    this.checks = { server: new UriCheck(client), snapshot: new UriCheck(client), reachable: new UriCheck(client) }
  }

  start (): void {
    this.snapshots.start()
  }

  stop (): void {
    this.snapshots.stop()
  }

  /** Reads what the screen needs of a newly chosen collection. */
  async choose (collection: CollectionRef): Promise<void> {
    this.firstTokenId = null
    try {
      const page = await this.client.call('list_tokens', { chain_id: collection.chain_id, token_address: collection.token_address }, { limit: 1 })
      this.firstTokenId = page.items[0]?.token_id ?? null
    } catch {
      this.firstTokenId = null
    }
    await this.snapshots.load(collection)
  }
}
