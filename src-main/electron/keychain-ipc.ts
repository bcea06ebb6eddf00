import { KEY_NAME_PATTERN } from '../lineage/keys/index.js'
import { MAX_PASSPHRASE_LENGTH } from './constants.js'
import { IpcPayloadError } from './errors.js'
import { IPC_CHANNELS } from './ipc-channels.js'
import type { IpcInvokeChannel } from './ipc-channels.js'
import { handleIpc } from './ipc.js'
import type { Keychain } from './keychain.js'

function field (channel: IpcInvokeChannel, payload: unknown, name: string): unknown {
  if (typeof payload !== 'object' || payload === null) throw new IpcPayloadError(channel, 'payload', 'must be an object')
  return (payload as Record<string, unknown>)[name]
}

/** A key name as the keystore allows it (no path tricks, no prototype names). */
export function checkKeyName (channel: IpcInvokeChannel, payload: unknown): string {
  const key = field(channel, payload, 'key')
  if (typeof key !== 'string' || !KEY_NAME_PATTERN.test(key)) throw new IpcPayloadError(channel, 'key', 'must be a key name')
  return key
}

export function checkPassphrase (channel: IpcInvokeChannel, payload: unknown): string {
  const passphrase = field(channel, payload, 'passphrase')
  if (typeof passphrase !== 'string' || passphrase.length === 0 || passphrase.length > MAX_PASSPHRASE_LENGTH) {
    throw new IpcPayloadError(channel, 'passphrase', `must be 1 to ${MAX_PASSPHRASE_LENGTH} characters`)
  }
  return passphrase
}

/**
 * The keychain channels. Remembering is the explicit opt-in (the page calls it only when the
 * user ticks "remember in the system keychain"); recall answers only the app's own page.
 */
export function setupKeychainIpc (keychain: Keychain, trustedUrl: string): () => void {
  const c = IPC_CHANNELS
  const removers = [
    handleIpc(c.keychainStatus, trustedUrl, async () => await keychain.status()),
    handleIpc(c.keychainRemember, trustedUrl, async payload => {
      await keychain.remember(checkKeyName(c.keychainRemember, payload), checkPassphrase(c.keychainRemember, payload))
      return await keychain.status()
    }),
    handleIpc(c.keychainRecall, trustedUrl, async payload => await keychain.recall(checkKeyName(c.keychainRecall, payload))),
    handleIpc(c.keychainForget, trustedUrl, async payload => {
      keychain.forget(checkKeyName(c.keychainForget, payload))
      return await keychain.status()
    }),
  ]
  return () => { for (const remove of removers) remove() }
}
