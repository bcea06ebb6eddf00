import fs from 'node:fs'
import path from 'node:path'
import { dialog } from 'electron'
import type { BrowserWindow, OpenDialogOptions } from 'electron'
import { DataDirChoiceError } from './errors.js'
import type { DataDirChoice } from './ipc-channels.js'
import type { DesktopSettingsStore } from './settings.js'

/** The folder dialog: one folder, which may be made from the dialog; it opens on the current one. */
export function dataDirDialogOptions (current: string): OpenDialogOptions {
  return {
    title: 'Choose where Lineage keeps its data',
    buttonLabel: 'Use this folder',
    defaultPath: current,
    properties: ['openDirectory', 'createDirectory', 'promptToCreate', 'dontAddToRecent'],
  }
}

/**
 * A folder the node can use: absolute, a folder (or not there yet, then made now), and writable.
 * Throws DataDirChoiceError saying what is wrong; answers the resolved path.
 */
export function checkDataDir (chosen: string): string {
  if (!path.isAbsolute(chosen)) throw new DataDirChoiceError(chosen, 'it is not a full path')
  const dir = path.resolve(chosen)
  try {
    fs.mkdirSync(dir, { recursive: true })
  } catch (err) {
    throw new DataDirChoiceError(dir, (err as NodeJS.ErrnoException).code === 'EEXIST' || (err as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'it is a file, not a folder' : `it cannot be created (${(err as Error).message})`)
  }
  if (!fs.statSync(dir).isDirectory()) throw new DataDirChoiceError(dir, 'it is a file, not a folder')
  try {
    fs.accessSync(dir, fs.constants.W_OK)
  } catch {
    throw new DataDirChoiceError(dir, 'this account may not write there')
  }
  return dir
}

/** The folder the node should open at start: the user's choice, else the node's own default. */
export function nodeDataDir (settings: DesktopSettingsStore): string | undefined {
  return settings.get().dataDir ?? undefined
}

export interface DataDirChooserComponents {
  settings: DesktopSettingsStore
  /** The folder the running node uses. */
  running: string
  /** The window the dialog belongs to. */
  window: () => BrowserWindow | undefined
}

/**
 * Asks for a folder and keeps it for the next start; the node opens its data once, at start, so
 * the answer says whether a restart is needed. A cancelled dialog changes nothing. Choosing the
 * running folder again, or `reset`, brings back the default.
 */
export function createDataDirChooser ({ settings, running, window }: DataDirChooserComponents): (reset: boolean) => Promise<DataDirChoice> {
  const answer = (): DataDirChoice => {
    const chosen = settings.get().dataDir
    return { chosen, running, restartNeeded: chosen !== null && path.resolve(chosen) !== path.resolve(running) }
  }
  return async reset => {
    if (reset) {
      settings.set('dataDir', null)
      return answer()
    }
    const options = dataDirDialogOptions(settings.get().dataDir ?? running)
    const parent = window()
    const result = parent === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options)
    const picked = result.filePaths[0]
    if (result.canceled || picked === undefined) return answer()
    const dir = checkDataDir(picked)
    settings.set('dataDir', dir === path.resolve(running) ? null : dir)
    return answer()
  }
}
