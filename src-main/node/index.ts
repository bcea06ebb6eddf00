/**
 * The composition root: a `LineageNode` owns the store, identity and API, and starts and stops
 * them in dependency order. The CLI, the Electron main process and tests all run this same node.
 *
 * @example
 * ```ts
 * const node = createLineageNode({ dataDir: '/tmp/lineage', rpcPort: 0 })
 * await node.start()
 * console.log(node.status().apiUrl)
 * await node.stop()
 * ```
 */
import { defaultLogger } from '@libp2p/logger'
import type { ComponentLogger } from '@libp2p/logger'
import { LineageNode } from './node.js'
import type { ImportSession } from './import-session.js'
import type { NodeConfigInit } from './config.js'

import type { SecretCipher } from '../secrets/index.js'

export function createLineageNode (init: NodeConfigInit = {}, components: { logger?: ComponentLogger, secretCipher?: SecretCipher, whileStarting?: () => Promise<void> } = {}): LineageNode {
  return new LineageNode({ ...components, logger: components.logger ?? defaultLogger() }, init)
}

/**
 * The parts of a node an import uses, without the API, libp2p or Fluence: what `lineage-node
 * import` opens when no node runs on the data dir.
 */
export async function createImportSession (init: { dataDir?: string, servicesDir?: string, heapCollectItems?: number } = {}, components: { logger?: ComponentLogger } = {}): Promise<ImportSession> {
  // Loaded on use: the engine and Marine are not what the node's other commands load first.
  const { ImportSession } = await import('./import-session.js')
  return new ImportSession({ logger: components.logger ?? defaultLogger() }, init)
}

export { LineageNode } from './node.js'
export type { ImportSession } from './import-session.js'
export type { NodeStatus } from './node.js'
export type { NodeConfig, NodeConfigInit } from './config.js'
export { resolveConfig } from './config.js'
export { defaultDataDir, packageInfo, readApiFile, readApiToken } from './local/index.js'
export type { ApiFile } from './local/index.js'
export * from './constants.js'
export * from './errors.js'
