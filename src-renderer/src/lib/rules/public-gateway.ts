/** The "Serve publicly" setting's rules: what the form sends, and whether a restart is due. */
import type { PublicGatewaySetting } from '../client/ipc-transport.js'

/** The URL the node's public listener has when started with `setting`; null when it is off. */
export function listenerUrl (setting: PublicGatewaySetting): string | null {
  if (!setting.enabled) return null
  return `http://${setting.host.includes(':') ? `[${setting.host}]` : setting.host}:${setting.port}`
}

/** Whether the saved setting differs from what the running node does (node_info.public_gateway_url). */
export function restartNeeded (saved: PublicGatewaySetting | null, running: string | null): boolean {
  return saved !== null && listenerUrl(saved) !== running
}

/** The port field as typed: a number when it is digits, else the text, which the app refuses in words. */
export function portValue (typed: string): number | string {
  return /^\d{1,6}$/.test(typed.trim()) ? Number(typed.trim()) : typed
}
