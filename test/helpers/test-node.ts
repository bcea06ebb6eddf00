import type { ComponentLogger } from '@libp2p/logger'
import { createLineageNode } from '../../src-main/node/index.js'
import type { LineageNode, NodeConfigInit } from '../../src-main/node/index.js'
import { testLogger } from './logger.js'
import { testNodeConfig } from './node-config.js'
import { tempDir } from './temp-dir.js'

export interface TestNode {
  node: LineageNode
  /** Base URL of the API and gateway, e.g. http://127.0.0.1:41234 */
  base: string
  /** Stops the node and removes its data dir. */
  stop(): Promise<void>
}

/** A real node on a fresh temp data dir, loopback only, any free ports; `logger` replaces the test logger. */
export async function startTestNode (extra: NodeConfigInit = {}, { logger = testLogger }: { logger?: ComponentLogger } = {}): Promise<TestNode> {
  const t = tempDir()
  const node = createLineageNode(testNodeConfig(t.dir, extra), { logger })
  try {
    await node.start()
  } catch (err) {
    t.cleanup()
    throw err
  }
  return {
    node,
    base: node.status().apiUrl ?? '',
    async stop () {
      await node.stop()
      t.cleanup()
    },
  }
}
