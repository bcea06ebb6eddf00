import type { UiClient } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'

/**
 * Whether images this node does not hold may come from an IPFS gateway, and which one: off until
 * the creator turns it on in Settings. The node keeps the choice (the page's CSP follows it), so
 * a change takes effect once the page reloads.
 */
export class ImageSettings {
  gateway = $state<string | null>(null)
  loaded = $state(false)
  problem = $state<string | null>(null)

  constructor (private readonly client: UiClient) {}

  async load (): Promise<void> {
    try {
      this.gateway = (await this.client.call('get_image_gateway')).gateway
      this.loaded = true
    } catch (err) {
      this.problem = describeProblem(err)
    }
  }

  /** Saves the gateway (null turns it off); answers whether the node took it. */
  async set (gateway: string | null): Promise<boolean> {
    try {
      this.gateway = (await this.client.call('set_image_gateway', gateway)).gateway
      this.problem = null
      return true
    } catch (err) {
      this.problem = describeProblem(err)
      return false
    }
  }
}
