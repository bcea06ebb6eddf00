import type { IpcBridge, PublicGatewaySetting } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'
import { portValue } from '../rules/public-gateway.js'

/**
 * Settings › Serve publicly (desktop app): the form's fields, the setting saved for the next
 * start, and the app's answer. The app checks the interface and the port and saves nothing on a
 * bad one; its words are shown as they come.
 */
export class ServePublicly {
  saved = $state<PublicGatewaySetting | null>(null)
  enabled = $state(false)
  host = $state('')
  port = $state('')
  problem = $state<string | null>(null)
  busy = $state(false)
  /** True once saved in this visit, to say so. */
  savedNow = $state(false)

  constructor (private readonly settings: IpcBridge['settings']) {}

  /** Whether this app can change the setting (an older desktop app, or a browser, cannot). */
  get available (): boolean {
    return this.settings?.setPublicGateway !== undefined
  }

  async load (): Promise<void> {
    const current = (await this.settings?.get())?.publicGateway
    if (current === undefined) return
    this.show(current)
  }

  async save (): Promise<void> {
    const set = this.settings?.setPublicGateway
    if (set === undefined) return
    this.busy = true
    try {
      const result = await set({ enabled: this.enabled, host: this.host, port: portValue(this.port) })
      if (result.publicGateway !== undefined) this.show(result.publicGateway)
      this.problem = null
      this.savedNow = true
    } catch (err) {
      this.problem = describeProblem(err)
      this.savedNow = false
    } finally {
      this.busy = false
    }
  }

  private show (setting: PublicGatewaySetting): void {
    this.saved = setting
    this.enabled = setting.enabled
    this.host = setting.host
    this.port = String(setting.port)
  }
}
