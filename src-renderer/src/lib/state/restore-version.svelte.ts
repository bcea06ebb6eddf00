import type { HistoryVersionInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'
import { restoreRequest } from '../rules/restore.js'
import { waitForReceipt } from './receipts.js'
import type { TokenAddress } from './token-editor.svelte.js'

/** One "Restore this version" from the History screen, signed and published like any edit. */
export class RestoreVersion {
  /** The version being restored; null while none is chosen. */
  version = $state<HistoryVersionInfo | null>(null)
  busy = $state(false)
  problem = $state<string | null>(null)
  /** The new version the restore wrote. */
  restored = $state<string | null>(null)

  constructor (private readonly client: UiClient, private readonly at: TokenAddress) {}

  choose (version: HistoryVersionInfo | null): void {
    this.version = version
    this.problem = null
    this.restored = null
  }

  /** Signs and publishes; true once the node applied it. */
  async publish (key: string, passphrase: string, metaContractId: string): Promise<boolean> {
    if (this.version === null) return false
    this.busy = true
    this.problem = null
    try {
      const { hash } = await this.client.call('sign_and_publish', key, passphrase, restoreRequest(this.at, this.version, metaContractId))
      const receipt = await waitForReceipt(this.client, hash)
      if (receipt === null) this.problem = 'The node accepted the restore but has not applied it yet. Look again in a moment.'
      else if (receipt.status === 'rejected') this.problem = `The collection's rules refused it: ${receipt.reason}. The old version no longer fits them; open the editor to change it first.`
      else {
        this.restored = receipt.heads[0] ?? ''
        return true
      }
    } catch (err) {
      this.problem = describeProblem(err)
    } finally {
      this.busy = false
    }
    return false
  }
}
