/**
 * Electron main process: guards first (logs, error handlers, single instance, deep links,
 * navigation), then one setupX per concern, over the same LineageNode the headless CLI runs.
 * Kept thin: everything testable lives in the modules it calls.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { app, BrowserWindow, dialog, safeStorage, session } from 'electron'
import { KEYCHAIN_FILE, PRODUCT_NAME, SETTINGS_FILE } from './constants.js'
import { setupContentSecurityPolicy } from './csp.js'
import { imageGateway } from '../lineage/browse/index.js'
import { setupDataDirIpc } from './data-dir-ipc.js'
import { createDeepLinkRouter, setupDeepLinks } from './deep-links.js'
import { setupFilesIpc } from './files-ipc.js'
import { setupIpfsIpc } from './ipfs-ipc.js'
import { IPC_EVENTS } from './ipc-channels.js'
import { sendIpc, sendIpcWhenLoaded } from './ipc.js'
import { createJobEventForwarder } from './job-events.js'
import { createKeychain } from './keychain.js'
import { setupKeychainIpc } from './keychain-ipc.js'
import { setupLaunchAtLogin, wasLaunchedAtLogin } from './launch-at-login.js'
import { setupLogs } from './logs.js'
import { setupLogsIpc } from './logs-ipc.js'
import { setupNavigationGuards } from './navigation.js'
import { setupNode } from './node.js'
import { osKeychainCipher } from './secret-cipher.js'
import { setupRemoteContentBlock } from './remote-content.js'
import { setupRpcIpc } from './rpc-ipc.js'
import { rendererUrl } from './security.js'
import { openSettingsStore } from './settings.js'
import { setupSettingsIpc } from './settings-ipc.js'
import { setupSingleInstance } from './single-instance.js'
import { setupTray } from './tray.js'
import { createMainWindow } from './window.js'

// As bin/lineage-node.js does for the headless node: the young generation keeps its first size,
// about 30 MiB less for the node this process runs (docs/BENCHMARKS.md, "Where memory goes").
setFlagsFromString('--semi-space-growth-factor=1')

const here = path.dirname(fileURLToPath(import.meta.url))
const preloadPath = path.join(here, 'preload.cjs')
const rendererIndexPath = path.join(here, '..', '..', 'renderer', 'index.html')
const trustedUrl = rendererUrl(rendererIndexPath)
const trayIconPath = path.join(here, '..', '..', '..', 'build-resources', process.platform === 'darwin' ? 'tray.png' : 'tray@2x.png')

// One name, packaged or not: it names the user-data folder (settings) and the log folder.
app.setName(PRODUCT_NAME)
app.setPath('userData', path.join(app.getPath('appData'), PRODUCT_NAME))
const logs = setupLogs(app.getPath('logs'))
const log = logs.logger.forComponent('lineage:electron')
process.on('uncaughtException', err => { log.error('uncaught exception in the main process: %e', err) })
process.on('unhandledRejection', err => { log.error('unhandled rejection in the main process: %e', err) })

let mainWindow: BrowserWindow | undefined
const openWindow = (show = true): BrowserWindow => {
  if (mainWindow !== undefined) return mainWindow
  const window = createMainWindow({ preloadPath, rendererIndexPath, show })
  window.on('closed', () => { mainWindow = undefined })
  mainWindow = window
  return window
}

const deepLinks = createDeepLinkRouter({
  open: link => {
    const window = openWindow()
    window.show()
    sendIpcWhenLoaded(window, trustedUrl, IPC_EVENTS.openToken, link)
  },
  refuse: err => {
    log.error('%s', err.message)
    void dialog.showMessageBox({ type: 'warning', message: 'Lineage cannot open this link', detail: err.message })
  },
})

if (!setupSingleInstance(app, { showWindow: () => app.isReady() ? openWindow() : undefined, onArgv: argv => { deepLinks.handleArgv(argv) } })) {
  app.quit()
} else {
  setupDeepLinks(app, deepLinks)
  setupNavigationGuards(app, trustedUrl)
  void app.whenReady().then(async () => {
    // Set once the node runs: the image gateway the creator allowed in Settings, if any.
    let imageOrigin = (): string | undefined => undefined
    setupContentSecurityPolicy(session.defaultSession, () => imageOrigin())
    setupRemoteContentBlock(session.defaultSession, () => imageOrigin())
    const settings = openSettingsStore(path.join(app.getPath('userData'), SETTINGS_FILE), err => { log.error('%s', err.message) })
    const launchAtLogin = setupLaunchAtLogin(app, settings)
    // Pinning services' tokens sealed by the OS keychain where it has one (else the node's key file).
    const node = await setupNode(logs.logger, settings, {}, osKeychainCipher(safeStorage))
    if (node === undefined) {
      app.quit()
      return
    }
    imageOrigin = () => {
      // A stopped node (a restart in progress) allows no remote image.
      try {
        return imageGateway(node.store)
      } catch {
        return undefined
      }
    }
    const keychain = createKeychain({ safeStorage }, { filePath: path.join(node.config.dataDir, KEYCHAIN_FILE) })
    const removeIpc = [
      setupRpcIpc(node, trustedUrl),
      setupSettingsIpc(settings, { launchAtLogin }, trustedUrl),
      setupKeychainIpc(keychain, trustedUrl),
      setupLogsIpc(logs.file.dir, trustedUrl),
      setupIpfsIpc(() => node.status().apiUrl, trustedUrl),
      setupFilesIpc({ window: () => mainWindow, saveFolder: app.getPath('documents') }, trustedUrl),
      setupDataDirIpc({
        settings,
        running: node.config.dataDir,
        window: () => mainWindow,
        // Answer the page first, then restart: the node stops cleanly in before-quit.
        relaunch: () => { app.relaunch(); setImmediate(() => { app.quit() }) },
      }, trustedUrl),
    ]
    const jobEvents = createJobEventForwarder(node, notification => { sendIpc(mainWindow?.webContents, trustedUrl, IPC_EVENTS.notification, notification) })
    jobEvents.attach()

    openWindow(!wasLaunchedAtLogin(app, process.argv))
    deepLinks.ready()
    // The node keeps serving metadata with its window closed, like IPFS Desktop: quit from the tray.
    const removeTray = setupTray(node, { iconPath: trayIconPath, openWindow, onNodeStarted: () => { jobEvents.attach() }, quit: () => { app.quit() } })

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
      for (const remove of removeIpc) remove()
      jobEvents.detach()
      removeTray()
      void node.stop().finally(() => {
        stopped = true
        logs.close()
        app.quit()
      })
    })
  })
}
