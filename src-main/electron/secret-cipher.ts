import type { SafeStorage } from 'electron'
import type { SecretCipher } from '../secrets/index.js'

/** The synchronous parts of Electron's `safeStorage` the node's credentials need. */
export type SafeStorageSyncApi = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>

/**
 * The OS keychain (Keychain, DPAPI, libsecret or KWallet) as the cipher of the node's credentials
 * (remote pinning service tokens), so the key that opens them is never on disk. Undefined where
 * the OS offers no real keychain (Linux's `basic_text` uses a fixed key): the node then seals
 * with its key file. Synchronous, as the node's store is; the app calls it once it is ready.
 */
export function osKeychainCipher (safeStorage: SafeStorageSyncApi, platform: NodeJS.Platform = process.platform): SecretCipher | undefined {
  if (platform === 'linux' && ['basic_text', 'unknown'].includes(safeStorage.getSelectedStorageBackend())) return undefined
  if (!safeStorage.isEncryptionAvailable()) return undefined
  return {
    kind: 'os-keychain',
    seal: text => new Uint8Array(safeStorage.encryptString(text)),
    open: sealed => {
      try {
        return safeStorage.decryptString(Buffer.from(sealed))
      } catch {
        return undefined
      }
    },
  }
}
