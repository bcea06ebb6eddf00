import type { TokenUriCheckInfo } from '../../../../../src-main/api/rpc-types.js'
import type { LineageClient } from '../../client/index.js'
import { isMethodMissing, NOT_AVAILABLE } from '../../rules/go-live-wire.js'
import { describeProblem } from '../../rules/problems.js'

/** One path's "Check it": the node fetches the tokenURI the way a marketplace would (check_token_uri). */
export class UriCheck {
  result = $state<TokenUriCheckInfo | null>(null)
  problem = $state<string | null>(null)
  busy = $state(false)

  constructor (private readonly client: LineageClient) {}

  async run (uri: string, ipfsGateway?: string): Promise<void> {
    this.busy = true
    this.result = null
    try {
      this.result = await this.client.call('check_token_uri', uri, ...(ipfsGateway === undefined ? [] : [ipfsGateway]) as [string?])
      this.problem = null
    } catch (err) {
      this.problem = isMethodMissing(err) ? `${NOT_AVAILABLE} (This node cannot check a tokenURI; update Lineage on it.)` : describeProblem(err)
    } finally {
      this.busy = false
    }
  }
}
