import { IpcPayloadError, SettingActivationError } from './errors.js'
import { IPC_CHANNELS } from './ipc-channels.js'
import type { DesktopSettings, ToggleName } from './ipc-channels.js'
import { handleIpc } from './ipc.js'
import { checkPublicGatewaySetting } from './public-gateway-setting.js'
import { TOGGLE_NAMES } from './settings.js'
import type { DesktopSettingsStore } from './settings.js'

/** One activate() per setting: what changing it does to the machine. */
export type SettingActivators = { [N in ToggleName]: (value: DesktopSettings[N]) => Promise<void> | void }

/** Checks a `lineage:settings:set` payload: a known name and a value of that setting's type. */
export function checkSettingChange (payload: unknown): { name: ToggleName, value: boolean } {
  const channel = IPC_CHANNELS.settingsSet
  if (typeof payload !== 'object' || payload === null) throw new IpcPayloadError(channel, 'payload', 'must be { name, value }')
  const { name, value } = payload as Record<string, unknown>
  if (typeof name !== 'string' || !(TOGGLE_NAMES as string[]).includes(name)) throw new IpcPayloadError(channel, 'name', `must be one of ${TOGGLE_NAMES.join(', ')}`)
  if (typeof value !== 'boolean') throw new IpcPayloadError(channel, 'value', 'must be true or false')
  return { name: name as ToggleName, value }
}

/**
 * The settings channels. A change is activated first and stored only when that worked, so the
 * stored value always says what the machine does.
 */
export function setupSettingsIpc (store: DesktopSettingsStore, activators: SettingActivators, trustedUrl: string): () => void {
  const removers = [
    handleIpc(IPC_CHANNELS.settingsGet, trustedUrl, () => store.get()),
    handleIpc(IPC_CHANNELS.settingsSet, trustedUrl, async payload => {
      const { name, value } = checkSettingChange(payload)
      try {
        await activators[name](value)
      } catch (err) {
        // The OS's reason ("managed by your administrator") is for the user; named, so the window gets it.
        throw new SettingActivationError(name, err instanceof Error ? err.message : String(err))
      }
      return store.set(name, value)
    }),
    // Nothing to activate now: the node opens its listeners at start, so this is for the next one.
    handleIpc(IPC_CHANNELS.publicGatewaySet, trustedUrl, payload => store.set('publicGateway', checkPublicGatewaySetting(payload))),
  ]
  return () => { for (const remove of removers) remove() }
}
