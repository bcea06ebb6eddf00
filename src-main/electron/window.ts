import { BrowserWindow } from 'electron'
import { mainWindowOptions } from './security.js'

export interface MainWindowInit {
  preloadPath: string
  rendererIndexPath: string
  /** Show it once loaded (false when started at login: the app stays in the tray). */
  show: boolean
}

/**
 * The app window with secure defaults (security.ts). Navigation, new windows and permissions are
 * refused for every web contents by navigation.ts; remote requests by remote-content.ts.
 */
export function createMainWindow (init: MainWindowInit): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(init.preloadPath))
  if (init.show) window.once('ready-to-show', () => { window.show() })
  void window.loadFile(init.rendererIndexPath)
  return window
}
