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
import type { NodeConfigInit } from './config.js'

import type { SecretCipher } from '../secrets/index.js'

export function createLineageNode (init: NodeConfigInit = {}, components: { logger?: ComponentLogger, secretCipher?: SecretCipher, whileStarting?: () => Promise<void> } = {}): LineageNode {
  return new LineageNode({ ...components, logger: components.logger ?? defaultLogger() }, init)
}

export { LineageNode } from './node.js'
export type { NodeStatus } from './node.js'
export type { NodeConfig, NodeConfigInit } from './config.js'
export { resolveConfig } from './config.js'
export { defaultDataDir, packageInfo, readApiFile, readApiToken } from './local/index.js'
export type { ApiFile } from './local/index.js'
export * from './constants.js'
export * from './errors.js'
