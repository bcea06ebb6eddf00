/**
 * Electron main process: guards first, then one setupX per concern, over the same LineageNode
 * the headless CLI runs. Kept thin: everything testable lives in the modules it calls.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, session } from 'electron'
import { setupContentSecurityPolicy } from './csp.js'
import { setupIpc } from './ipc.js'
import { setupNode } from './node.js'
import { rendererUrl } from './security.js'
import { setupSingleInstance } from './single-instance.js'
import { setupTray } from './tray.js'
import { createMainWindow } from './window.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const preloadPath = path.join(here, 'preload.cjs')
const rendererIndexPath = path.join(here, '..', '..', 'renderer', 'index.html')
const trustedUrl = rendererUrl(rendererIndexPath)
const trayIconPath = path.join(here, '..', '..', '..', 'build-resources', process.platform === 'darwin' ? 'tray.png' : 'tray@2x.png')

let mainWindow: BrowserWindow | undefined

process.on('uncaughtException', err => { console.error('Uncaught exception in the main process:', err) })
process.on('unhandledRejection', err => { console.error('Unhandled rejection in the main process:', err) })

if (!setupSingleInstance(() => mainWindow)) {
  app.quit()
} else {
  void app.whenReady().then(async () => {
    setupContentSecurityPolicy(session.defaultSession)
    const node = await setupNode()
    if (node === undefined) {
      app.quit()
      return
    }
    const removeIpc = setupIpc(node, trustedUrl)
    const openWindow = (): BrowserWindow => {
      if (mainWindow !== undefined) return mainWindow
      const window = createMainWindow({ preloadPath, rendererIndexPath, trustedUrl })
      window.on('closed', () => { mainWindow = undefined })
      mainWindow = window
      return window
    }
    openWindow()
    // The node keeps serving metadata with its window closed, like IPFS Desktop: quit from the tray.
    const removeTray = setupTray(node, { iconPath: trayIconPath, openWindow, quit: () => { app.quit() } })

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
    app.on('window-all-closed', () => {
      // Stay in the tray; only Quit (tray or menu) ends the app and stops the node.
    })
    let stopped = false
    app.on('before-quit', event => {
      if (stopped) return
      // Stop the node cleanly (checkpoint, release the lock) before the process goes.
      event.preventDefault()
      removeIpc()
      removeTray()
      void node.stop().finally(() => {
        stopped = true
        app.quit()
      })
    })
  })
}
