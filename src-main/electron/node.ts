import { dialog } from 'electron'
import type { ComponentLogger } from '@libp2p/logger'
import { createLineageNode } from '../node/index.js'
import type { LineageNode, NodeConfigInit } from '../node/index.js'
import type { SecretCipher } from '../secrets/index.js'
import { publicGatewayNodeInit } from './public-gateway-setting.js'
import type { DesktopSettingsStore } from './settings.js'

/** What the dialog says when "Serve publicly" could not open its listener. */
export const PUBLIC_GATEWAY_FAILED_MESSAGE = 'Lineage could not serve publicly'

/** Buttons of the dialog shown when the chosen data folder cannot be opened. */
export const DATA_DIR_FAILED_BUTTONS = ['Use the default folder', 'Quit'] as const

/**
 * Starts the same node the CLI runs, on the data folder the user chose in the app (else the
 * CLI's default, so `lineage-node status` sees the app's node), with its loggers writing to the
 * app's log file. A failure is shown in words. When the chosen folder is what failed (another
 * node holds it, a drive went away), the user may go back to the default folder rather than be
 * locked out; otherwise the app quits: without its node it has nothing to show. "Serve publicly"
 * opens the public gateway listener; when its port is taken the node starts without it, and says
 * so, rather than keep the app from starting.
 */
export async function setupNode (logger: ComponentLogger, settings: DesktopSettingsStore, init: NodeConfigInit = {}, secretCipher?: SecretCipher, servePublicly = true): Promise<LineageNode | undefined> {
  const log = logger.forComponent('lineage:electron')
  const { dataDir: chosen, publicGateway } = settings.get()
  const withSettings = { ...init, ...(servePublicly ? publicGatewayNodeInit(publicGateway) : {}) }
  const node = createLineageNode(chosen === null ? withSettings : { ...withSettings, dataDir: chosen }, { logger, ...(secretCipher === undefined ? {} : { secretCipher }) })
  try {
    await node.start()
    return node
  } catch (err) {
    log.error('the node did not start: %e', err)
    const message = err instanceof Error ? err.message : String(err)
    if ((err as { name?: unknown }).name === 'PublicGatewayListenError' && servePublicly) {
      void dialog.showMessageBox({ type: 'warning', message: PUBLIC_GATEWAY_FAILED_MESSAGE, detail: `${message}.\n\nLineage runs without it for now. Choose another port in Settings › Serve publicly, then restart Lineage.` })
      return await setupNode(logger, settings, init, secretCipher, false)
    }
    if (chosen === null) {
      dialog.showErrorBox('Lineage could not start its node', message)
      return undefined
    }
    const { response } = await dialog.showMessageBox({
      type: 'error',
      message: 'Lineage could not open the data folder you chose',
      detail: `${chosen}\n\n${message}`,
      buttons: [...DATA_DIR_FAILED_BUTTONS],
      defaultId: 0,
      cancelId: 1,
    })
    if (response !== 0) return undefined
    settings.set('dataDir', null)
    return await setupNode(logger, settings, init, secretCipher, servePublicly)
  }
}
