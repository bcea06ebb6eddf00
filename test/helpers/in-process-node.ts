import { createLineageNode } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testLogger } from './logger.js'
import { testNodeConfig } from './node-config.js'
import { tempDir } from './temp-dir.js'

/** A whole node in the test's process, and its data dir (the caller stops it, then cleans up). */
export interface InProcessNode { node: LineageNode, dir: { dir: string, cleanup: () => void } }

/** Starts a whole node in this process on a fresh temp data dir, with the tests' config. */
export async function startInProcessNode (): Promise<InProcessNode> {
  const dir = tempDir()
  const node = createLineageNode(testNodeConfig(dir.dir), { logger: testLogger })
  await node.start()
  return { node, dir }
}
