import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createKeychain, KeychainEntryError, KeychainUnavailableError } from '../../src-main/electron/index.js'
import { tempDir } from '../helpers/temp-dir.js'
import { FakeSafeStorage } from './fake-safe-storage.js'

// Electron's runtime cannot start here: safeStorage is replaced at the Electron API boundary by
// FakeSafeStorage, which really encrypts; the keychain file handling runs for real.
const PASSPHRASE = 'correct horse battery staple'

describe('keychain for key passphrases', () => {
  let t: { dir: string, cleanup: () => void }
  let file: string
  let safeStorage: FakeSafeStorage
  beforeEach(() => {
    t = tempDir()
    file = path.join(t.dir, 'keychain.json')
    safeStorage = new FakeSafeStorage()
  })
  afterEach(() => { t.cleanup() })

  it('stores nothing until asked, then only ciphertext, owner-only', async () => {
    const keychain = createKeychain({ safeStorage, platform: 'linux' }, { filePath: file })
    expect(await keychain.status()).toEqual({ available: true, reason: null, remembered: [] })
    expect(await keychain.recall('main')).toBeNull()
    expect(fs.existsSync(file)).toBe(false)

    await keychain.remember('main', PASSPHRASE)
    const text = fs.readFileSync(file, 'utf8')
    expect(text).not.toContain(PASSPHRASE)
    expect(text).not.toContain(Buffer.from(PASSPHRASE).toString('base64'))
    expect(JSON.parse(text)).toEqual({ version: 1, entries: { main: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) } })
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(await keychain.recall('main')).toBe(PASSPHRASE)
    expect((await keychain.status()).remembered).toEqual(['main'])
  })

  it('forgets one key and keeps the others', async () => {
    const keychain = createKeychain({ safeStorage, platform: 'darwin' }, { filePath: file })
    await keychain.remember('b', 'second passphrase')
    await keychain.remember('a', PASSPHRASE)
    expect((await keychain.status()).remembered).toEqual(['a', 'b'])
    keychain.forget('b')
    keychain.forget('never-stored')
    expect((await keychain.status()).remembered).toEqual(['a'])
    expect(await keychain.recall('b')).toBeNull()
    expect(await keychain.recall('a')).toBe(PASSPHRASE)
  })

  it('refuses to remember where the OS has no real keychain (Linux basic_text) or cannot encrypt', async () => {
    safeStorage.backend = 'basic_text'
    const linux = createKeychain({ safeStorage, platform: 'linux' }, { filePath: file })
    expect(await linux.status()).toMatchObject({ available: false, reason: expect.stringContaining('no secret service') })
    await expect(linux.remember('main', PASSPHRASE)).rejects.toThrow(KeychainUnavailableError)
    safeStorage.backend = 'kwallet6'
    safeStorage.available = false
    await expect(linux.remember('main', PASSPHRASE)).rejects.toMatchObject({ name: 'KeychainUnavailableError' })
    expect(fs.existsSync(file)).toBe(false)
  })

  it('re-encrypts when the OS rotated its key, and says so in words when it lost it', async () => {
    const keychain = createKeychain({ safeStorage, platform: 'win32' }, { filePath: file })
    await keychain.remember('main', PASSPHRASE)
    const before = fs.readFileSync(file, 'utf8')
    safeStorage.rotated = true
    expect(await keychain.recall('main')).toBe(PASSPHRASE)
    expect(fs.readFileSync(file, 'utf8')).not.toBe(before)
    safeStorage.rotated = false
    safeStorage.loseKey()
    await expect(keychain.recall('main')).rejects.toThrow(KeychainEntryError)
    await expect(keychain.recall('main')).rejects.toThrow(/cannot be decrypted/)
  })

  it('refuses a file that is not its own, and never reads prototype names as entries', async () => {
    const keychain = createKeychain({ safeStorage, platform: 'darwin' }, { filePath: file })
    for (const text of ['nope', '{"version":2,"entries":{}}', '{"version":1,"entries":{"main":"not base64!"}}', '{"version":1,"entries":{"main":1}}']) {
      fs.writeFileSync(file, text)
      await expect(keychain.status()).rejects.toMatchObject({ name: 'KeychainEntryError' })
    }
    fs.writeFileSync(file, '{"version":1,"entries":{}}')
    expect(await keychain.recall('__proto__')).toBeNull()
    expect(await keychain.recall('constructor')).toBeNull()
  })
})
