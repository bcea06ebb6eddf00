import { BrowserWindow, shell } from 'electron'
import { isAllowedNavigation, mainWindowOptions } from './security.js'

export interface MainWindowInit {
  preloadPath: string
  rendererIndexPath: string
  trustedUrl: string
}

/** The app window: secure defaults, no new windows, no navigation away from our page. */
export function createMainWindow (init: MainWindowInit): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(init.preloadPath))
  const contents = window.webContents

  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, init.trustedUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', event => { event.preventDefault() })
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => { callback(false) })

  window.once('ready-to-show', () => { window.show() })
  void window.loadFile(init.rendererIndexPath)
  return window
}
