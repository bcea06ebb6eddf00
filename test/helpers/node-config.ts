import type { NodeConfigInit } from '../../src-main/node/index.js'

/** A node for tests: any free ports, peers on loopback only. */
export function testNodeConfig (dataDir: string, extra: NodeConfigInit = {}): NodeConfigInit {
  return { dataDir, rpcPort: 0, p2pPort: 0, p2pHost: '127.0.0.1', ...extra }
}

/** The same for `lineage-node start` in a child process. */
export const TEST_NODE_ARGS = ['--rpc-port', '0', '--p2p-port', '0', '--p2p-host', '127.0.0.1']
