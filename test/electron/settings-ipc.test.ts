import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSettingsStore, IPC_CHANNELS, rendererUrl } from '../../src-main/electron/index.js'
import { checkSettingChange, setupSettingsIpc } from '../../src-main/electron/settings-ipc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { ipcMain } from './fake-electron.js'

// Electron's runtime cannot start here: ipcMain is replaced at the Electron API boundary only.
vi.mock('electron', async () => await import('./fake-electron.js'))

const trusted = rendererUrl('/app/dist/renderer/index.html')
const OFF = { enabled: false, host: '0.0.0.0', port: 8080 }

describe('settings over IPC', () => {
  let t: { dir: string, cleanup: () => void }
  beforeEach(() => { t = tempDir(); ipcMain.handlers.clear() })
  afterEach(() => { t.cleanup() })

  it('takes only a known name with a boolean', () => {
    expect(checkSettingChange({ name: 'launchAtLogin', value: true })).toEqual({ name: 'launchAtLogin', value: true })
    for (const bad of [null, 'launchAtLogin', { name: 'dataDir', value: true }, { name: 'toString', value: true }, { name: '__proto__', value: true }, { name: 'launchAtLogin', value: 'true' }, { name: 'launchAtLogin' }]) {
      expect(() => checkSettingChange(bad)).toThrow(expect.objectContaining({ name: 'IpcPayloadError' }))
    }
  })

  it('activates a change before storing it, and stores nothing when activation fails', async () => {
    const store = createSettingsStore(path.join(t.dir, 'settings.json'))
    const calls: boolean[] = []
    let fail = false
    setupSettingsIpc(store, {
      launchAtLogin: value => {
        if (fail) throw new Error('login items are managed by your administrator')
        calls.push(value)
      },
    }, trusted)
    expect(await ipcMain.invoke(IPC_CHANNELS.settingsGet, null, trusted)).toEqual({ ok: true, value: { launchAtLogin: false, dataDir: null, publicGateway: OFF } })
    expect(await ipcMain.invoke(IPC_CHANNELS.settingsSet, { name: 'launchAtLogin', value: true }, trusted)).toEqual({ ok: true, value: { launchAtLogin: true, dataDir: null, publicGateway: OFF } })
    expect(calls).toEqual([true])
    fail = true
    expect(await ipcMain.invoke(IPC_CHANNELS.settingsSet, { name: 'launchAtLogin', value: false }, trusted)).toMatchObject({ ok: false, error: { name: 'SettingActivationError', message: 'The setting launchAtLogin could not be changed: login items are managed by your administrator' } })
    expect(store.get()).toEqual({ launchAtLogin: true, dataDir: null, publicGateway: OFF })
    expect(await ipcMain.invoke(IPC_CHANNELS.settingsSet, { name: 'launchAtLogin', value: 1 }, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError' } })
    await expect(ipcMain.invoke(IPC_CHANNELS.settingsSet, { name: 'launchAtLogin', value: true }, 'https://evil.example/')).rejects.toMatchObject({ name: 'IpcSenderError' })
  })

  it('saves "Serve publicly" for the next start, and saves nothing on bad input', async () => {
    const store = createSettingsStore(path.join(t.dir, 'settings.json'))
    setupSettingsIpc(store, { launchAtLogin: () => {} }, trusted)
    const on = { enabled: true, host: '127.0.0.1', port: 8088 }
    expect(await ipcMain.invoke(IPC_CHANNELS.publicGatewaySet, on, trusted)).toEqual({ ok: true, value: { launchAtLogin: false, dataDir: null, publicGateway: on } })
    expect(createSettingsStore(store.path).get().publicGateway).toEqual(on)
    for (const [bad, words] of [[{ ...on, host: 'my-server' }, 'must be an IP address'], [{ ...on, port: 99999 }, 'from 1 to 65535'], ['on', 'must be { enabled, host, port }']] as const) {
      expect(await ipcMain.invoke(IPC_CHANNELS.publicGatewaySet, bad, trusted)).toEqual({ ok: false, error: { name: 'PublicGatewaySettingError', message: expect.stringContaining(words) } })
    }
    expect(createSettingsStore(store.path).get().publicGateway).toEqual(on)
    // The "Serve publicly" channel is not reachable through the on/off one.
    expect(await ipcMain.invoke(IPC_CHANNELS.settingsSet, { name: 'publicGateway', value: true }, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError' } })
    await expect(ipcMain.invoke(IPC_CHANNELS.publicGatewaySet, on, 'https://evil.example/')).rejects.toMatchObject({ name: 'IpcSenderError' })
  })
})
