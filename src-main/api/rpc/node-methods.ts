import type { NodeInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface NodeMethodsComponents {
  nodeInfo(): NodeInfo
}

/** Methods about the node itself. */
export function nodeMethods (components: NodeMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'node_info',
      description: 'Identity, version, state, data dir, uptime and schema version of this node.',
      params: [],
      handler: () => components.nodeInfo(),
    }),
  ] as RpcMethod[]
}
