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
import { createMainWindow } from './window.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const preloadPath = path.join(here, 'preload.cjs')
const rendererIndexPath = path.join(here, '..', '..', 'renderer', 'index.html')
const trustedUrl = rendererUrl(rendererIndexPath)

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
    mainWindow = createMainWindow({ preloadPath, rendererIndexPath, trustedUrl })
    mainWindow.on('closed', () => { mainWindow = undefined })

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow({ preloadPath, rendererIndexPath, trustedUrl })
    })
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit()
    })
    let stopped = false
    app.on('before-quit', event => {
      if (stopped) return
      // Stop the node cleanly (checkpoint, release the lock) before the process goes.
      event.preventDefault()
      removeIpc()
      void node.stop().finally(() => {
        stopped = true
        app.quit()
      })
    })
  })
}
