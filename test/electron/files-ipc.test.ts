import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IPC_CHANNELS, MAX_SAVED_FILE_BYTES, rendererUrl } from '../../src-main/electron/index.js'
import { chooseDialogOptions, setupFilesIpc } from '../../src-main/electron/files-ipc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { dialog, ipcMain } from './fake-electron.js'

// Electron's runtime cannot start here: ipcMain and dialog are replaced at the Electron API
// boundary only; the checks and the files written are real.
vi.mock('electron', async () => await import('./fake-electron.js'))

const trusted = rendererUrl('/app/dist/renderer/index.html')
const c = IPC_CHANNELS

describe('the system pickers through IPC', () => {
  let t: { dir: string, cleanup: () => void }
  let remove: () => void
  const window = { id: 1 }
  beforeEach(() => {
    t = tempDir()
    ipcMain.handlers.clear()
    dialog.opened.length = 0
    dialog.saving.length = 0
    remove = setupFilesIpc({ window: () => window as never, saveFolder: t.dir }, trusted)
  })
  afterEach(() => {
    remove()
    t.cleanup()
  })

  it('opens a folder picker, or a file picker filtered to CSV or CAR, and answers the path picked', async () => {
    dialog.openResult = { canceled: false, filePaths: ['/home/me/lanterns'] }
    expect(await ipcMain.invoke(c.filesChoose, { kind: 'folder' }, trusted)).toEqual({ ok: true, value: '/home/me/lanterns' })
    expect(dialog.opened[0]).toEqual({ parent: window, options: chooseDialogOptions('folder') })
    expect(chooseDialogOptions('folder').properties).toEqual(['openDirectory', 'dontAddToRecent'])
    dialog.openResult = { canceled: false, filePaths: ['/home/me/backup.car'] }
    expect(await ipcMain.invoke(c.filesChoose, { kind: 'car' }, trusted)).toEqual({ ok: true, value: '/home/me/backup.car' })
    expect(dialog.opened[1]?.options).toMatchObject({ filters: [{ extensions: ['car'] }], properties: ['openFile', 'dontAddToRecent'] })
    expect(chooseDialogOptions('csv').filters).toEqual([{ name: 'CSV file', extensions: ['csv'] }])
    dialog.openResult = { canceled: true, filePaths: [] }
    expect(await ipcMain.invoke(c.filesChoose, { kind: 'csv' }, trusted)).toEqual({ ok: true, value: null })
  })

  it('refuses an unknown kind and any other page, opening no dialog', async () => {
    expect(await ipcMain.invoke(c.filesChoose, { kind: 'anything' }, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError', message: expect.stringContaining('kind must be folder, csv or car') } })
    expect(await ipcMain.invoke(c.filesChoose, null, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError' } })
    await expect(ipcMain.invoke(c.filesChoose, { kind: 'folder' }, 'https://evil.example/')).rejects.toMatchObject({ name: 'IpcSenderError' })
    await expect(ipcMain.invoke(c.filesSave, { name: 'a.json', text: 'x' }, trusted, { url: trusted })).rejects.toMatchObject({ name: 'IpcSenderError' })
    expect(dialog.opened).toEqual([])
    expect(dialog.saving).toEqual([])
  })

  it('saves a key backup where the person chose, private to them; a cancelled dialog writes nothing', async () => {
    const target = path.join(t.dir, 'chosen', 'studio.json')
    fs.mkdirSync(path.dirname(target))
    dialog.saveResult = { canceled: false, filePath: target }
    expect(await ipcMain.invoke(c.filesSave, { name: 'studio.json', text: '{"crypto":{}}' }, trusted)).toEqual({ ok: true, value: target })
    expect(fs.readFileSync(target, 'utf8')).toBe('{"crypto":{}}')
    expect(fs.statSync(target).mode & 0o777).toBe(0o600)
    expect(dialog.saving[0]).toMatchObject({ parent: window, options: { defaultPath: path.join(t.dir, 'studio.json') } })
    dialog.saveResult = { canceled: true, filePath: '' }
    expect(await ipcMain.invoke(c.filesSave, { name: 'other.json', text: 'y' }, trusted)).toEqual({ ok: true, value: null })
    expect(fs.readdirSync(t.dir).sort()).toEqual(['chosen'])
  })

  it('asks where the node should write a backup, and writes nothing itself', async () => {
    dialog.saveResult = { canceled: false, filePath: path.join(t.dir, 'lanterns.car') }
    expect(await ipcMain.invoke(c.filesChooseSave, { name: 'backup.car' }, trusted)).toEqual({ ok: true, value: path.join(t.dir, 'lanterns.car') })
    expect(dialog.saving[0]?.options).toMatchObject({ defaultPath: path.join(t.dir, 'backup.car'), filters: [{ extensions: ['car'] }] })
    expect(fs.readdirSync(t.dir)).toEqual([])
    dialog.saveResult = { canceled: true, filePath: '' }
    expect(await ipcMain.invoke(c.filesChooseSave, { name: 'backup.car' }, trusted)).toEqual({ ok: true, value: null })
    expect(await ipcMain.invoke(c.filesChooseSave, { name: '../x.car' }, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError' } })
  })

  it('refuses a suggested name that is a path, and text over the limit, before any dialog', async () => {
    for (const name of ['../studio.json', '/etc/passwd', 'a/b.json', '.hidden', '']) {
      expect(await ipcMain.invoke(c.filesSave, { name, text: 'x' }, trusted), name).toMatchObject({ ok: false, error: { name: 'IpcPayloadError', message: expect.stringContaining('name') } })
    }
    expect(await ipcMain.invoke(c.filesSave, { name: 'big.json', text: 'x'.repeat(MAX_SAVED_FILE_BYTES + 1) }, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError', message: expect.stringContaining(`at most ${MAX_SAVED_FILE_BYTES} bytes`) } })
    expect(dialog.saving).toEqual([])
  })

  it('says in words when the chosen place cannot be written', async () => {
    dialog.saveResult = { canceled: false, filePath: path.join(t.dir, 'missing-folder', 'studio.json') }
    expect(await ipcMain.invoke(c.filesSave, { name: 'studio.json', text: 'x' }, trusted)).toMatchObject({ ok: false, error: { name: 'FileSaveError', message: expect.stringContaining('could not save') } })
  })
})
