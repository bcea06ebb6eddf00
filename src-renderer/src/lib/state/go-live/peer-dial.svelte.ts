import type { LineageClient } from '../../client/index.js'
import { describeProblem } from '../../rules/problems.js'

/** A peer address field and its "Connect" (peer_connect): the server node, or a relay server. */
export class PeerDial {
  peerAddress = $state('')
  /** The peer's id once connected in this visit. */
  connected = $state<string | null>(null)
  problem = $state<string | null>(null)
  busy = $state(false)

  constructor (protected readonly client: LineageClient) {}

  async connect (): Promise<void> {
    this.busy = true
    try {
      this.connected = (await this.client.call('peer_connect', this.peerAddress.trim())).peer_id
      this.problem = null
    } catch (err) {
      this.problem = describeProblem(err)
    } finally {
      this.busy = false
    }
  }
}
