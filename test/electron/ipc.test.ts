import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { WebContents } from 'electron'
import os from 'node:os'
import path from 'node:path'
import { IPC_CHANNELS, IPC_EVENTS, IPC_INTERNAL_ERROR_MESSAGE, IpcPayloadError, rendererUrl, SettingsFileError } from '../../src-main/electron/index.js'
import { handleIpc, sendIpc, sendIpcWhenLoaded } from '../../src-main/electron/ipc.js'
import { repoRoot } from '../helpers/processes.js'
import { FakeWebContents, ipcMain } from './fake-electron.js'
import type { BrowserWindow } from './fake-electron.js'

// Electron's runtime cannot start here: ipcMain is replaced at the Electron API boundary only.
vi.mock('electron', async () => await import('./fake-electron.js'))

const trusted = rendererUrl('/opt/Lineage/resources/app.asar/dist/renderer/index.html')
const link = { kind: 'token', chainId: '1', address: '0x' + 'a'.repeat(40), tokenId: '1' } as const

describe('IPC with checked senders', () => {
  beforeEach(() => { ipcMain.handlers.clear() })

  it('answers our own page with the handler\'s value, and errors as data with their name', async () => {
    handleIpc(IPC_CHANNELS.settingsGet, trusted, () => ({ launchAtLogin: true, dataDir: null, publicGateway: { enabled: false, host: '0.0.0.0', port: 8080 } }))
    expect(await ipcMain.invoke(IPC_CHANNELS.settingsGet, null, trusted)).toEqual({ ok: true, value: { launchAtLogin: true, dataDir: null, publicGateway: { enabled: false, host: '0.0.0.0', port: 8080 } } })
    expect(await ipcMain.invoke(IPC_CHANNELS.settingsGet, null, `${trusted}#/settings`)).toMatchObject({ ok: true })
    handleIpc(IPC_CHANNELS.keychainRecall, trusted, () => { throw new IpcPayloadError(IPC_CHANNELS.keychainRecall, 'key', 'must be a key name') })
    expect(await ipcMain.invoke(IPC_CHANNELS.keychainRecall, { key: '../x' }, trusted)).toEqual({
      ok: false,
      error: { name: 'IpcPayloadError', message: 'IPC lineage:keychain:recall: key must be a key name' },
    })
  })

  it('tells the window no stack, install path or bug text: an unnamed failure is an internal error, a named one keeps its words', async () => {
    const home = path.join(os.homedir(), '.config', 'Lineage Desktop', 'desktop-settings.json')
    const install = path.join(repoRoot, 'node_modules', 'electron', 'index.js')
    const fails = async (err: unknown, payload: unknown = null): Promise<unknown> => {
      ipcMain.handlers.clear()
      handleIpc(IPC_CHANNELS.settingsGet, trusted, () => { throw err })
      return await ipcMain.invoke(IPC_CHANNELS.settingsGet, payload, trusted)
    }
    const internal = { ok: false, error: { name: 'InternalError', message: IPC_INTERNAL_ERROR_MESSAGE } }
    expect(await fails(new TypeError("Cannot read properties of undefined (reading 'x')"))).toEqual(internal)
    expect(await fails(new Error(`something broke in ${install}`))).toEqual(internal)
    expect(await fails(Object.assign(new Error(`EACCES: permission denied, open '${home}'`), { name: 'SystemError', code: 'EACCES' }))).toEqual(internal)
    expect(await fails('a string')).toEqual(internal)
    const settings = new SettingsFileError(home, `not JSON\n    at JSON.parse (<anonymous>)\n    at read (file://${install}:1:2)`)
    expect(await fails(settings)).toEqual({ ok: false, error: { name: 'SettingsFileError', message: `The settings file ${home} cannot be used (not JSON). Delete it to go back to the default settings.` } })
    const elsewhere = new SettingsFileError('/srv/lineage/desktop-settings.json', `bad at ${install}`)
    expect(await fails(elsewhere)).toEqual({ ok: false, error: { name: 'SettingsFileError', message: 'The settings file …/desktop-settings.json cannot be used (bad at …). Delete it to go back to the default settings.' } })
    expect(await fails(elsewhere, { dir: '/srv/lineage' })).toMatchObject({ error: { message: expect.stringContaining('/srv/lineage/desktop-settings.json') } })
  })

  it('refuses every other sender before the handler runs: other pages, files, subframes, no frame', async () => {
    const handler = vi.fn(() => null)
    handleIpc(IPC_CHANNELS.keychainStatus, trusted, handler as never)
    const senders: Array<[string, unknown]> = [
      ['https://evil.example/', null],
      ['file:///tmp/evil.html', null],
      ['file:///opt/Lineage/resources/app.asar/dist/renderer/other.html', null],
      ['devtools://devtools/bundled/inspector.html', null],
      [trusted, {}],
      ['not a url', null],
    ]
    for (const [url, parent] of senders) {
      await expect(ipcMain.invoke(IPC_CHANNELS.keychainStatus, null, url, parent)).rejects.toMatchObject({ name: 'IpcSenderError' })
    }
    const noFrame = ipcMain.handlers.get(IPC_CHANNELS.keychainStatus)
    await expect(noFrame?.({ senderFrame: null }, null)).rejects.toMatchObject({ name: 'IpcSenderError' })
    expect(handler).not.toHaveBeenCalled()
  })

  it('removes its handler', async () => {
    const remove = handleIpc(IPC_CHANNELS.logsOpen, trusted, () => '/logs')
    remove()
    await expect(ipcMain.invoke(IPC_CHANNELS.logsOpen, null, trusted)).rejects.toThrow(/No handler/)
  })

  it('sends events only to a live window still showing our page', () => {
    const ours = new FakeWebContents(trusted)
    expect(sendIpc(ours as unknown as WebContents, trusted, IPC_EVENTS.openToken, link)).toBe(true)
    expect(ours.sent).toEqual([{ channel: 'lineage:open-token', payload: link }])

    const elsewhere = new FakeWebContents('https://evil.example/')
    expect(sendIpc(elsewhere as unknown as WebContents, trusted, IPC_EVENTS.openToken, link)).toBe(false)
    const closed = new FakeWebContents(trusted)
    closed.destroyed = true
    expect(sendIpc(closed as unknown as WebContents, trusted, IPC_EVENTS.openToken, link)).toBe(false)
    expect(sendIpc(undefined, trusted, IPC_EVENTS.openToken, link)).toBe(false)
    expect([...elsewhere.sent, ...closed.sent]).toEqual([])
  })

  it('holds an event until the page has loaded', () => {
    const contents = new FakeWebContents(trusted)
    contents.loading = true
    const window = { webContents: contents } as unknown as BrowserWindow
    sendIpcWhenLoaded(window as never, trusted, IPC_EVENTS.openToken, link)
    expect(contents.sent).toEqual([])
    contents.emit('did-finish-load')
    expect(contents.sent).toEqual([{ channel: 'lineage:open-token', payload: link }])
  })
})
