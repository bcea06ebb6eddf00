import { saveText } from '../client/files.js'
import type { UiClient } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'
import type { PassphraseKeychain } from './keychain.svelte.js'

/**
 * A key's file, for its creator: a backup (its keystore file, still encrypted with its
 * passphrase, saved where they choose) and deletion. `saved` says where the last backup went.
 */
export class KeyFiles {
  problem = $state<string | null>(null)
  saved = $state<string | null>(null)
  busy = $state(false)
  /** Keys backed up since this screen opened: their "back it up now" prompt has done its job. */
  backedUp = $state<string[]>([])

  constructor (private readonly client: UiClient, private readonly keychain: PassphraseKeychain) {}

  async backup (name: string): Promise<void> {
    await this.run(async () => {
      const backup = await this.client.call('keys_export_keystore', name)
      const where = await saveText(backup.file_name, backup.keystore)
      if (where === null) return
      this.backedUp = [...this.backedUp, name]
      this.saved = where === 'download'
        ? `The backup of ${name} is in your browser's downloads as ${backup.file_name}. Move it somewhere safe, away from this computer.`
        : `The backup of ${name} is saved as ${where}. Keep a copy away from this computer, too.`
    })
  }

  /** Deletes the key and forgets its remembered passphrase; `onDeleted` refreshes the list. */
  async remove (name: string, onDeleted: () => Promise<void>): Promise<boolean> {
    return await this.run(async () => {
      await this.client.call('keys_delete', name)
      if (this.keychain.isRemembered(name)) await this.keychain.forget(name)
      this.saved = null
      await onDeleted()
    })
  }

  private async run (work: () => Promise<void>): Promise<boolean> {
    this.busy = true
    this.problem = null
    try {
      await work()
      return true
    } catch (err) {
      this.problem = describeProblem(err)
      return false
    } finally {
      this.busy = false
    }
  }
}
