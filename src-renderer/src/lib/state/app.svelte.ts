import type { UiClient } from '../client/index.js'
import { NodeActivity } from './activity.svelte.js'
import { CollectionProfiles } from './collection-profiles.svelte.js'
import { ImageSettings } from './image-settings.svelte.js'
import { ImportSource } from './import-source.svelte.js'
import { PassphraseKeychain } from './keychain.svelte.js'
import { NodeStatus } from './node-status.svelte.js'
import { Router } from './router.svelte.js'
import { Workspace } from './workspace.svelte.js'

/** Everything the screens share, created once per signed-in client and passed down as `app`. */
export class AppState {
  readonly status: NodeStatus
  readonly activity: NodeActivity
  readonly workspace: Workspace
  readonly router: Router
  /** The OS keychain for key passphrases: desktop app only. */
  readonly keychain: PassphraseKeychain
  /** Collections' display names and images, kept by the node. */
  readonly profiles: CollectionProfiles
  /** Where images this node does not hold may come from (off unless the creator allows it). */
  readonly images: ImageSettings
  /** What the next import reads: picked, dropped on the window or uploaded (see import-source.svelte.ts). */
  readonly importSource: ImportSource

  constructor (readonly client: UiClient, readonly signOut: (() => void) | null) {
    this.keychain = new PassphraseKeychain(client.mode === 'desktop' ? window.lineage?.keychain : undefined)
    this.status = new NodeStatus(client)
    this.activity = new NodeActivity(client)
    this.workspace = new Workspace(client)
    this.router = new Router()
    this.profiles = new CollectionProfiles(client)
    this.images = new ImageSettings(client)
    this.importSource = new ImportSource(client)
  }

  /** Where `/ipfs/…` and the gateway are: this page's origin in a browser, the API's in the desktop app. */
  get gatewayBase (): string {
    return this.client.mode === 'browser' ? window.location.origin : (this.status.info?.api_url ?? '')
  }

  start (): void {
    this.status.start()
    this.activity.start()
    void this.keychain.refresh()
    void this.profiles.load()
    void this.images.load()
    this.router.start()
  }

  stop (): void {
    this.status.stop()
    this.activity.stop()
    this.router.stop()
    this.client.close()
  }
}
