import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createKeychain, IPC_CHANNELS, rendererUrl } from '../../src-main/electron/index.js'
import { setupKeychainIpc } from '../../src-main/electron/keychain-ipc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { ipcMain } from './fake-electron.js'
import { FakeSafeStorage } from './fake-safe-storage.js'

// Electron's runtime cannot start here: ipcMain and safeStorage are replaced at the Electron API
// boundary only.
vi.mock('electron', async () => await import('./fake-electron.js'))

const trusted = rendererUrl('/app/dist/renderer/index.html')
const c = IPC_CHANNELS

describe('keychain over IPC', () => {
  let t: { dir: string, cleanup: () => void }
  beforeEach(() => {
    t = tempDir()
    ipcMain.handlers.clear()
    setupKeychainIpc(createKeychain({ safeStorage: new FakeSafeStorage(), platform: 'darwin' }, { filePath: path.join(t.dir, 'keychain.json') }), trusted)
  })
  afterEach(() => { t.cleanup() })

  it('remembers on request, recalls for our page only, and forgets', async () => {
    expect(await ipcMain.invoke(c.keychainRemember, { key: 'main', passphrase: 'p4ssphrase!' }, trusted)).toEqual({ ok: true, value: { available: true, reason: null, remembered: ['main'] } })
    expect(await ipcMain.invoke(c.keychainRecall, { key: 'main' }, trusted)).toEqual({ ok: true, value: 'p4ssphrase!' })
    await expect(ipcMain.invoke(c.keychainRecall, { key: 'main' }, 'https://evil.example/')).rejects.toMatchObject({ name: 'IpcSenderError' })
    await expect(ipcMain.invoke(c.keychainRecall, { key: 'main' }, trusted, {})).rejects.toMatchObject({ name: 'IpcSenderError' })
    expect(await ipcMain.invoke(c.keychainForget, { key: 'main' }, trusted)).toMatchObject({ ok: true, value: { remembered: [] } })
    expect(await ipcMain.invoke(c.keychainRecall, { key: 'main' }, trusted)).toEqual({ ok: true, value: null })
  })

  it('refuses key names the keystore would not allow, and empty or huge passphrases', async () => {
    for (const key of ['../main', '__proto__', 'Main', '', 'a'.repeat(65), 42, null]) {
      expect(await ipcMain.invoke(c.keychainRecall, { key }, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError', message: expect.stringContaining('key must be a key name') } })
    }
    for (const passphrase of ['', 'x'.repeat(1025), 12345678]) {
      expect(await ipcMain.invoke(c.keychainRemember, { key: 'main', passphrase }, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError' } })
    }
    expect(await ipcMain.invoke(c.keychainRemember, 'main', trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError' } })
    expect(await ipcMain.invoke(c.keychainStatus, null, trusted)).toMatchObject({ ok: true, value: { remembered: [] } })
  })
})
