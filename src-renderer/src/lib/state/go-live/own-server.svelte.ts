import type { LineageClient } from '../../client/index.js'
import { serverBase } from '../../rules/go-live.js'
import { PeerDial } from './peer-dial.svelte.js'

const SERVER_URL_KEY = 'lineage.goLive.serverUrl'

/**
 * "Use my own server": the connection from this computer to the server's node, and the server's
 * public address (remembered between visits).
 */
export class OwnServer extends PeerDial {
  serverUrl = $state('')
  base = $derived(serverBase(this.serverUrl))

  constructor (client: LineageClient, private readonly storage: Storage | undefined = globalThis.localStorage) {
    super(client)
    this.serverUrl = storage?.getItem(SERVER_URL_KEY) ?? ''
  }

  remember (): void {
    this.storage?.setItem(SERVER_URL_KEY, this.serverUrl.trim())
  }
}
