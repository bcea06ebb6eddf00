import fs from 'node:fs'
import path from 'node:path'
import type { SafeStorage } from 'electron'
import { KEYCHAIN_FILE_MODE, MAX_KEYCHAIN_FILE_BYTES } from './constants.js'
import { KeychainEntryError, KeychainUnavailableError } from './errors.js'
import type { KeychainStatus } from './ipc-channels.js'

/** The parts of Electron's `safeStorage` the keychain uses (its async API, Electron ≥ 36). */
export type SafeStorageApi = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'>

export interface KeychainComponents {
  safeStorage: SafeStorageApi
  platform?: NodeJS.Platform
}

export interface Keychain {
  readonly path: string
  status(): Promise<KeychainStatus>
  /** Stores a key's passphrase encrypted by the OS keychain. Throws KeychainUnavailableError when it cannot protect it. */
  remember(key: string, passphrase: string): Promise<void>
  /** The remembered passphrase, or null. Throws KeychainEntryError when the OS cannot decrypt it any more. */
  recall(key: string): Promise<string | null>
  forget(key: string): void
}

interface KeychainFile { version: 1, entries: Record<string, string> }

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

function readFile (filePath: string): KeychainFile {
  let text: string
  try {
    if (fs.statSync(filePath).size > MAX_KEYCHAIN_FILE_BYTES) throw new KeychainEntryError(filePath, 'the file is too large')
    text = fs.readFileSync(filePath, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} }
    throw err
  }
  let file: Partial<KeychainFile> | null
  try {
    file = JSON.parse(text) as Partial<KeychainFile> | null
  } catch {
    throw new KeychainEntryError(filePath, 'the file is not JSON')
  }
  const entries = file?.entries
  if (file?.version !== 1 || typeof entries !== 'object' || entries === null || Object.values(entries).some(v => typeof v !== 'string' || !BASE64.test(v))) {
    throw new KeychainEntryError(filePath, 'the file is not a keychain file')
  }
  return { version: 1, entries: { ...entries } }
}

function writeFile (filePath: string, file: KeychainFile): void {
  const temp = `${filePath}.${process.pid}.tmp`
  fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 })
  fs.writeFileSync(temp, JSON.stringify(file, null, 2) + '\n', { mode: KEYCHAIN_FILE_MODE })
  fs.renameSync(temp, filePath)
}

/**
 * Key passphrases the user chose to remember, each encrypted by the OS keychain (`safeStorage`:
 * Keychain on macOS, DPAPI on Windows, libsecret or KWallet on Linux) and stored as ciphertext
 * in `<data-dir>/keychain.json`. Plain text never reaches the disk: where the OS offers no real
 * keychain (Linux's `basic_text` fallback uses a fixed key), `remember` refuses.
 */
export function createKeychain (components: KeychainComponents, init: { filePath: string }): Keychain {
  const { safeStorage } = components
  const platform = components.platform ?? process.platform
  const filePath = init.filePath

  const unavailableReason = async (): Promise<string | null> => {
    if (platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend()
      if (backend === 'basic_text') return 'no secret service (GNOME Keyring or KWallet) is running'
      if (backend === 'unknown') return 'the app is not ready yet'
    }
    return (await safeStorage.isAsyncEncryptionAvailable()) ? null : 'the operating system refused to encrypt'
  }

  const keychain: Keychain = {
    path: filePath,
    async status () {
      const reason = await unavailableReason()
      return { available: reason === null, reason, remembered: Object.keys(readFile(filePath).entries).sort() }
    },
    async remember (key, passphrase) {
      const reason = await unavailableReason()
      if (reason !== null) throw new KeychainUnavailableError(reason)
      const encrypted = await safeStorage.encryptStringAsync(passphrase)
      const file = readFile(filePath)
      file.entries[key] = encrypted.toString('base64')
      writeFile(filePath, file)
    },
    async recall (key) {
      const file = readFile(filePath)
      const stored = Object.hasOwn(file.entries, key) ? file.entries[key] : undefined
      if (stored === undefined) return null
      let decrypted
      try {
        decrypted = await safeStorage.decryptStringAsync(Buffer.from(stored, 'base64'))
      } catch (err) {
        throw new KeychainEntryError(filePath, `the passphrase of "${key}" cannot be decrypted: ${err instanceof Error ? err.message : String(err)}`)
      }
      // The OS rotated its key: store the passphrase again under the new one.
      if (decrypted.shouldReEncrypt) await keychain.remember(key, decrypted.result)
      return decrypted.result
    },
    forget (key) {
      const file = readFile(filePath)
      if (!Object.hasOwn(file.entries, key)) return
      delete file.entries[key]
      writeFile(filePath, file)
    },
  }
  return keychain
}
