import type { NodeInfo, PeerConnectionInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface NodeMethodsComponents {
  nodeInfo(): NodeInfo
  /** Open peer connections; empty when offline. */
  peers(): PeerConnectionInfo[]
}

/** Methods about the node itself. */
export function nodeMethods (components: NodeMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'node_info',
      requiresToken: true,
      description: 'Identity, version, state, data dir, uptime and schema version of this node.',
      params: [],
      handler: () => components.nodeInfo(),
    }),
    defineMethod({
      name: 'peers',
      requiresToken: true,
      description: 'The peers this node is connected to, one entry per connection.',
      params: [],
      handler: () => components.peers(),
    }),
  ] as RpcMethod[]
}
