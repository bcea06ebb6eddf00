import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSettingsStore, IPC_CHANNELS, rendererUrl } from '../../src-main/electron/index.js'
import type { DesktopSettingsStore } from '../../src-main/electron/index.js'
import { checkDataDir, dataDirDialogOptions } from '../../src-main/electron/data-dir.js'
import { setupDataDirIpc } from '../../src-main/electron/data-dir-ipc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { dialog, ipcMain } from './fake-electron.js'

// Electron's runtime cannot start here: ipcMain and dialog are replaced at the Electron API
// boundary only; the settings file, the checks and the folders are real.
vi.mock('electron', async () => await import('./fake-electron.js'))

const trusted = rendererUrl('/app/dist/renderer/index.html')
const c = IPC_CHANNELS

describe('choosing the data folder', () => {
  let t: { dir: string, cleanup: () => void }
  let settings: DesktopSettingsStore
  let running: string
  let relaunched: number
  const window = { id: 1 }
  beforeEach(() => {
    t = tempDir()
    ipcMain.handlers.clear()
    dialog.opened.length = 0
    running = path.join(t.dir, 'default-data')
    settings = createSettingsStore(path.join(t.dir, 'user', 'desktop-settings.json'))
    relaunched = 0
    setupDataDirIpc({ settings, running, window: () => window as never, relaunch: () => { relaunched++ } }, trusted)
  })
  afterEach(() => { t.cleanup() })

  it('opens a one-folder dialog on the current folder, over the app window', async () => {
    dialog.openResult = { canceled: true, filePaths: [] }
    expect(await ipcMain.invoke(c.dataDirChoose, null, trusted)).toEqual({ ok: true, value: { chosen: null, running, restartNeeded: false } })
    expect(dialog.opened).toEqual([{ parent: window, options: dataDirDialogOptions(running) }])
    expect(dataDirDialogOptions(running)).toMatchObject({ defaultPath: running, properties: expect.arrayContaining(['openDirectory', 'createDirectory']) })
    expect(dataDirDialogOptions(running).properties).not.toContain('multiSelections')
    expect(settings.get().dataDir).toBeNull()
  })

  it('saves the picked folder for the next start, which needs a restart, and resets to the default', async () => {
    const picked = path.join(t.dir, 'My Lineage', 'data')
    dialog.openResult = { canceled: false, filePaths: [picked] }
    expect(await ipcMain.invoke(c.dataDirChoose, null, trusted)).toEqual({ ok: true, value: { chosen: picked, running, restartNeeded: true } })
    expect(fs.statSync(picked).isDirectory()).toBe(true)
    // Saved in the settings file: a new start (a new store on the same file) reads it.
    expect(createSettingsStore(settings.path).get().dataDir).toBe(picked)
    // The dialog opens on the chosen folder next time.
    dialog.openResult = { canceled: true, filePaths: [] }
    await ipcMain.invoke(c.dataDirChoose, null, trusted)
    expect(dialog.opened.at(-1)?.options).toMatchObject({ defaultPath: picked })

    expect(await ipcMain.invoke(c.appRelaunch, null, trusted)).toEqual({ ok: true, value: null })
    expect(relaunched).toBe(1)

    expect(await ipcMain.invoke(c.dataDirChoose, { reset: true }, trusted)).toEqual({ ok: true, value: { chosen: null, running, restartNeeded: false } })
    expect(createSettingsStore(settings.path).get().dataDir).toBeNull()
  })

  it('picking the folder in use needs no restart', async () => {
    dialog.openResult = { canceled: false, filePaths: [running] }
    expect(await ipcMain.invoke(c.dataDirChoose, null, trusted)).toEqual({ ok: true, value: { chosen: null, running, restartNeeded: false } })
  })

  it('refuses a file, a relative path or an unwritable folder, and saves nothing', async () => {
    const file = path.join(t.dir, 'a-file')
    fs.writeFileSync(file, 'x')
    dialog.openResult = { canceled: false, filePaths: [file] }
    expect(await ipcMain.invoke(c.dataDirChoose, null, trusted)).toMatchObject({ ok: false, error: { name: 'DataDirChoiceError', message: expect.stringContaining('not a folder') } })
    expect(() => checkDataDir('relative/dir')).toThrow(expect.objectContaining({ name: 'DataDirChoiceError', message: expect.stringContaining('full path') }))
    expect(() => checkDataDir(path.join(file, 'below'))).toThrow(expect.objectContaining({ name: 'DataDirChoiceError' }))
    if (process.getuid?.() !== 0) {
      const locked = path.join(t.dir, 'locked')
      fs.mkdirSync(locked, { mode: 0o500 })
      expect(() => checkDataDir(locked)).toThrow(expect.objectContaining({ name: 'DataDirChoiceError', message: expect.stringContaining('may not write') }))
    }
    expect(settings.get().dataDir).toBeNull()
    expect(fs.existsSync(settings.path)).toBe(false)
  })

  it('checks payloads and senders like every channel', async () => {
    for (const bad of ['reset', 1, { reset: 'yes' }]) {
      expect(await ipcMain.invoke(c.dataDirChoose, bad, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError' } })
    }
    await expect(ipcMain.invoke(c.dataDirChoose, null, 'https://evil.example/')).rejects.toMatchObject({ name: 'IpcSenderError' })
    await expect(ipcMain.invoke(c.appRelaunch, null, trusted, {})).rejects.toMatchObject({ name: 'IpcSenderError' })
    expect(relaunched).toBe(0)
  })
})
