import { dialog } from 'electron'
import type { ComponentLogger } from '@libp2p/logger'
import { createLineageNode } from '../node/index.js'
import type { LineageNode, NodeConfigInit } from '../node/index.js'
import type { SecretCipher } from '../secrets/index.js'
import type { DesktopSettingsStore } from './settings.js'

/** Buttons of the dialog shown when the chosen data folder cannot be opened. */
export const DATA_DIR_FAILED_BUTTONS = ['Use the default folder', 'Quit'] as const

/**
 * Starts the same node the CLI runs, on the data folder the user chose in the app (else the
 * CLI's default, so `lineage-node status` sees the app's node), with its loggers writing to the
 * app's log file. A failure is shown in words. When the chosen folder is what failed (another
 * node holds it, a drive went away), the user may go back to the default folder rather than be
 * locked out; otherwise the app quits: without its node it has nothing to show.
 */
export async function setupNode (logger: ComponentLogger, settings: DesktopSettingsStore, init: NodeConfigInit = {}, secretCipher?: SecretCipher): Promise<LineageNode | undefined> {
  const log = logger.forComponent('lineage:electron')
  const chosen = settings.get().dataDir
  const node = createLineageNode(chosen === null ? init : { ...init, dataDir: chosen }, { logger, ...(secretCipher === undefined ? {} : { secretCipher }) })
  try {
    await node.start()
    return node
  } catch (err) {
    log.error('the node did not start: %e', err)
    const message = err instanceof Error ? err.message : String(err)
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
    return await setupNode(logger, settings, init, secretCipher)
  }
}
