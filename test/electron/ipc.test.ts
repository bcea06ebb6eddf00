import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { WebContents } from 'electron'
import { IPC_CHANNELS, IPC_EVENTS, IpcPayloadError, rendererUrl } from '../../src-main/electron/index.js'
import { handleIpc, sendIpc, sendIpcWhenLoaded } from '../../src-main/electron/ipc.js'
import { FakeWebContents, ipcMain } from './fake-electron.js'
import type { BrowserWindow } from './fake-electron.js'

// Electron's runtime cannot start here: ipcMain is replaced at the Electron API boundary only.
vi.mock('electron', async () => await import('./fake-electron.js'))

const trusted = rendererUrl('/opt/Lineage/resources/app.asar/dist/renderer/index.html')
const link = { kind: 'token', chainId: '1', address: '0x' + 'a'.repeat(40), tokenId: '1' } as const

describe('IPC with checked senders', () => {
  beforeEach(() => { ipcMain.handlers.clear() })

  it('answers our own page with the handler\'s value, and errors as data with their name', async () => {
    handleIpc(IPC_CHANNELS.settingsGet, trusted, () => ({ launchAtLogin: true, dataDir: null }))
    expect(await ipcMain.invoke(IPC_CHANNELS.settingsGet, null, trusted)).toEqual({ ok: true, value: { launchAtLogin: true, dataDir: null } })
    expect(await ipcMain.invoke(IPC_CHANNELS.settingsGet, null, `${trusted}#/settings`)).toMatchObject({ ok: true })
    handleIpc(IPC_CHANNELS.keychainRecall, trusted, () => { throw new IpcPayloadError(IPC_CHANNELS.keychainRecall, 'key', 'must be a key name') })
    expect(await ipcMain.invoke(IPC_CHANNELS.keychainRecall, { key: '../x' }, trusted)).toEqual({
      ok: false,
      error: { name: 'IpcPayloadError', message: 'IPC lineage:keychain:recall: key must be a key name' },
    })
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
