import { dialog } from 'electron'
import type { ComponentLogger } from '@libp2p/logger'
import { createLineageNode } from '../node/index.js'
import type { LineageNode } from '../node/index.js'

/**
 * Starts the same node the CLI runs, on the same default data dir, so `lineage-node status`
 * sees the app's node, with its loggers writing to the app's log file. A failure is shown in
 * words and the app quits: without its node the app has nothing to show.
 */
export async function setupNode (logger: ComponentLogger): Promise<LineageNode | undefined> {
  const node = createLineageNode({}, { logger })
  try {
    await node.start()
    return node
  } catch (err) {
    logger.forComponent('lineage:electron').error('the node did not start: %e', err)
    dialog.showErrorBox('Lineage could not start its node', err instanceof Error ? err.message : String(err))
    return undefined
  }
}
