import fs from 'node:fs'
import path from 'node:path'
import { dialog } from 'electron'
import type { BrowserWindow, OpenDialogOptions, SaveDialogOptions } from 'electron'
import { checkUploadName } from '../api/uploads/index.js'
import { MAX_SAVED_FILE_BYTES } from './constants.js'
import { FileSaveError, IpcPayloadError } from './errors.js'
import { IPC_CHANNELS } from './ipc-channels.js'
import type { FileChoiceKind } from './ipc-channels.js'
import { handleIpc } from './ipc.js'

/** What the system picker offers for each kind of import source. */
export function chooseDialogOptions (kind: FileChoiceKind): OpenDialogOptions {
  if (kind === 'folder') return { title: 'Choose a folder of metadata files to import', buttonLabel: 'Import this folder', properties: ['openDirectory', 'dontAddToRecent'] }
  const filters = kind === 'csv' ? [{ name: 'CSV file', extensions: ['csv'] }] : [{ name: 'CAR backup', extensions: ['car'] }]
  return { title: kind === 'csv' ? 'Choose a CSV file to import' : 'Choose a CAR backup to import', buttonLabel: 'Import this file', filters, properties: ['openFile', 'dontAddToRecent'] }
}

/** Checks a `lineage:files:choose` payload: `{ kind: 'folder' | 'csv' | 'car' }`. */
export function checkChooseRequest (payload: unknown): FileChoiceKind {
  const kind = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>).kind : undefined
  if (kind !== 'folder' && kind !== 'csv' && kind !== 'car') throw new IpcPayloadError(IPC_CHANNELS.filesChoose, 'kind', 'must be folder, csv or car')
  return kind
}

/** Checks a `lineage:files:save` payload: a plain file name to suggest and at most MAX_SAVED_FILE_BYTES of text. */
export function checkSaveRequest (payload: unknown): { name: string, text: string } {
  const channel = IPC_CHANNELS.filesSave
  const { name, text } = typeof payload === 'object' && payload !== null ? payload as Record<string, unknown> : {}
  if (typeof name !== 'string') throw new IpcPayloadError(channel, 'name', 'must be a file name')
  try {
    checkUploadName(name)
  } catch (err) {
    throw new IpcPayloadError(channel, 'name', (err as Error).message)
  }
  if (typeof text !== 'string' || Buffer.byteLength(text) > MAX_SAVED_FILE_BYTES) throw new IpcPayloadError(channel, 'text', `must be text of at most ${MAX_SAVED_FILE_BYTES} bytes`)
  return { name, text }
}

export interface FilesIpcComponents {
  /** The window the dialogs belong to. */
  window: () => BrowserWindow | undefined
  /** Where a save dialog opens first (the user's Documents folder). */
  saveFolder: string
}

/**
 * The system pickers, for the page: choose a folder or file to import (the answer is its path,
 * which the page hands to `import_folder`/`import_car`), choose where the node writes a backup
 * (`export_car`), and save a text the page holds (a key's encrypted backup) where the person chooses. A cancelled dialog answers null and writes nothing.
 */
export function setupFilesIpc ({ window, saveFolder }: FilesIpcComponents, trustedUrl: string): () => void {
  const removers = [
    handleIpc(IPC_CHANNELS.filesChoose, trustedUrl, async payload => {
      const options = chooseDialogOptions(checkChooseRequest(payload))
      const parent = window()
      const result = parent === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options)
      return result.canceled ? null : result.filePaths[0] ?? null
    }),
    handleIpc(IPC_CHANNELS.filesChooseSave, trustedUrl, async payload => {
      const { name } = checkSaveRequest({ text: '', ...(typeof payload === 'object' && payload !== null ? payload : {}) })
      const options: SaveDialogOptions = { title: 'Save the backup as', defaultPath: path.join(saveFolder, name), filters: [{ name: 'CAR backup', extensions: ['car'] }], properties: ['createDirectory', 'showOverwriteConfirmation'] }
      const parent = window()
      const result = parent === undefined ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(parent, options)
      return result.canceled || result.filePath === undefined || result.filePath === '' ? null : result.filePath
    }),
    handleIpc(IPC_CHANNELS.filesSave, trustedUrl, async payload => {
      const { name, text } = checkSaveRequest(payload)
      const options: SaveDialogOptions = { title: 'Save a backup', defaultPath: path.join(saveFolder, name), properties: ['createDirectory', 'showOverwriteConfirmation'] }
      const parent = window()
      const result = parent === undefined ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(parent, options)
      if (result.canceled || result.filePath === undefined || result.filePath === '') return null
      try {
        // Only the person reads a key's backup: private to them, as the keystore itself is.
        fs.writeFileSync(result.filePath, text, { mode: 0o600 })
      } catch (err) {
        throw new FileSaveError(result.filePath, (err as NodeJS.ErrnoException).code ?? (err as Error).message)
      }
      return result.filePath
    }),
  ]
  return () => { for (const remove of removers) remove() }
}
