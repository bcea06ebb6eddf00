import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { osKeychainCipher } from '../../src-main/electron/index.js'
import { createSecretVault, keyFileCipher, SECRETS_FILE, SECRETS_KEY_FILE } from '../../src-main/secrets/index.js'
import { FakeSafeStorage } from '../electron/fake-safe-storage.js'
import { tempDir } from '../helpers/temp-dir.js'

const TOKEN = 'pinning-service-token-ABCDEFGHIJKLMNOP'

describe('the credentials file', () => {
  let t: { dir: string, cleanup: () => void }
  beforeEach(() => { t = tempDir() })
  afterEach(() => { t.cleanup() })

  it('keeps a token sealed under the key file, both owner-only, and opens it again in another process\'s vault', () => {
    const vault = createSecretVault({ dir: t.dir })
    vault.set('remote-pinning/psa', TOKEN)
    const file = fs.readFileSync(path.join(t.dir, SECRETS_FILE), 'utf8')
    expect(file).not.toContain(TOKEN.slice(0, 12))
    expect(JSON.parse(file)).toEqual({ version: 1, entries: { 'remote-pinning/psa': { cipher: 'key-file', sealed: expect.any(String) } } })
    for (const name of [SECRETS_FILE, SECRETS_KEY_FILE]) expect([name, fs.statSync(path.join(t.dir, name)).mode & 0o777]).toEqual([name, 0o600])
    expect(createSecretVault({ dir: t.dir }).get('remote-pinning/psa')).toBe(TOKEN)
    vault.delete('remote-pinning/psa')
    expect(createSecretVault({ dir: t.dir }).get('remote-pinning/psa')).toBeUndefined()
    expect(() => createSecretVault({ dir: t.dir }).require('remote-pinning/psa')).toThrowError(expect.objectContaining({ name: 'SecretMissingError' }))
  })

  it('refuses to open what another key sealed, and an altered file, by name', () => {
    createSecretVault({ dir: t.dir }).set('a', TOKEN)
    fs.writeFileSync(path.join(t.dir, SECRETS_KEY_FILE), Buffer.alloc(32, 7))
    expect(() => createSecretVault({ dir: t.dir }).get('a')).toThrowError(expect.objectContaining({ name: 'SecretOpenError' }))
    fs.writeFileSync(path.join(t.dir, SECRETS_FILE), '{"version":1,"entries":{"a":{"cipher":"key-file","sealed":"not base64!"}}}')
    expect(() => createSecretVault({ dir: t.dir }).get('a')).toThrowError(expect.objectContaining({ name: 'SecretFileError' }))
  })

  it('seals with the OS keychain where the app has one, still opens key-file entries, and the CLI says it cannot open keychain ones', () => {
    createSecretVault({ dir: t.dir }).set('old', 'sealed-by-the-key-file')
    const safeStorage = new FakeSafeStorage()
    const cipher = osKeychainCipher(safeStorage, 'linux')
    expect(cipher?.kind).toBe('os-keychain')
    const app = createSecretVault({ dir: t.dir, ...(cipher === undefined ? {} : { cipher }) })
    app.set('new', TOKEN)
    expect(app.get('old')).toBe('sealed-by-the-key-file')
    expect(createSecretVault({ dir: t.dir, ...(cipher === undefined ? {} : { cipher }) }).get('new')).toBe(TOKEN)
    expect(fs.readFileSync(path.join(t.dir, SECRETS_FILE), 'utf8')).not.toContain(TOKEN.slice(0, 12))
    expect(() => createSecretVault({ dir: t.dir }).get('new')).toThrowError(expect.objectContaining({ name: 'SecretCipherUnavailableError' }))
  })

  it('uses no keychain where the OS offers none (Linux basic_text, or encryption unavailable)', () => {
    const safeStorage = new FakeSafeStorage()
    safeStorage.backend = 'basic_text'
    expect(osKeychainCipher(safeStorage, 'linux')).toBeUndefined()
    safeStorage.backend = 'gnome_libsecret'
    safeStorage.available = false
    expect(osKeychainCipher(safeStorage, 'linux')).toBeUndefined()
  })

  it('a key-file seal is fresh each time: the same token twice gives two different ciphertexts', () => {
    const cipher = keyFileCipher(t.dir)
    const [a, b] = [cipher.seal(TOKEN), cipher.seal(TOKEN)]
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false)
    expect([cipher.open(a), cipher.open(b)]).toEqual([TOKEN, TOKEN])
  })
})
