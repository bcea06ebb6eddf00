import type { KeychainBridge, KeychainStatus } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'

/**
 * Key passphrases remembered in the OS keychain, desktop app only (the browser has no keychain:
 * `supported` is false there and every screen hides the option). A passphrase is stored only
 * when the user ticked "remember" and the passphrase just worked.
 */
export class PassphraseKeychain {
  status = $state<KeychainStatus | null>(null)
  problem = $state<string | null>(null)

  constructor (private readonly bridge: KeychainBridge | undefined) {}

  get supported (): boolean { return this.bridge !== undefined }
  get available (): boolean { return this.status?.available === true }
  /** Why the checkbox is off, in words, when the OS keychain cannot be used. */
  get unavailableReason (): string | null { return this.status === null || this.status.available ? null : this.status.reason }

  isRemembered (key: string): boolean {
    return this.status?.remembered.includes(key) ?? false
  }

  async refresh (): Promise<void> {
    await this.run(async bridge => { this.status = await bridge.status() })
  }

  /** The remembered passphrase of `key`, or null (none, or the OS could not decrypt it: `problem` says). */
  async recall (key: string): Promise<string | null> {
    if (!this.isRemembered(key)) return null
    return await this.run(async bridge => await bridge.recall(key)) ?? null
  }

  /** After the passphrase of `key` just worked: keeps it when the user asked to. */
  async keep (key: string, passphrase: string, asked: boolean): Promise<void> {
    if (!asked || passphrase === '' || this.isRemembered(key)) return
    await this.run(async bridge => { this.status = await bridge.remember(key, passphrase) })
  }

  async forget (key: string): Promise<void> {
    await this.run(async bridge => { this.status = await bridge.forget(key) })
  }

  private async run<T> (work: (bridge: KeychainBridge) => Promise<T>): Promise<T | undefined> {
    if (this.bridge === undefined) return undefined
    try {
      const result = await work(this.bridge)
      this.problem = null
      return result
    } catch (err) {
      this.problem = describeProblem(err)
      return undefined
    }
  }
}
