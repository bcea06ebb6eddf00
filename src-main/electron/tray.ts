import { Menu, Tray, clipboard, nativeImage } from 'electron'
import type { BrowserWindow } from 'electron'
import type { LineageNode } from '../node/index.js'
import { gatewayBase, trayMenuTemplate, trayStatusLine } from './tray-menu.js'

/** How often the tray re-reads the node's status (peers come and go). */
const TRAY_REFRESH_MS = 5_000

export interface TrayInit {
  iconPath: string
  openWindow(): BrowserWindow
  /** After the tray restarted the node (its API and engine are new objects). */
  onNodeStarted(): void
  quit(): void
}

/**
 * The tray: status at a glance, open the window, copy the gateway URL, stop or start the node,
 * quit. Returns a function that removes it.
 */
export function setupTray (node: LineageNode, init: TrayInit): () => void {
  const tray = new Tray(nativeImage.createFromPath(init.iconPath))
  const refresh = (): void => {
    const status = node.status()
    tray.setToolTip(trayStatusLine(status))
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(status, {
      open: () => { init.openWindow().show() },
      startNode: () => { void node.start().then(init.onNodeStarted).finally(refresh) },
      stopNode: () => { void node.stop().finally(refresh) },
      copyGatewayUrl: () => {
        const url = gatewayBase(node.status())
        if (url !== null) clipboard.writeText(url)
      },
      quit: init.quit,
    })))
  }
  refresh()
  const timer = setInterval(refresh, TRAY_REFRESH_MS)
  return () => {
    clearInterval(timer)
    tray.destroy()
  }
}
