import type { LineageClient, RpcMethodName, RpcMethods } from '../../../../src-main/api/rpc-types.js'
import { NodeUnreachableError } from './errors.js'
import { unwrap } from './response.js'
import type { JsonRpcReply } from './response.js'

/** What the Electron preload exposes as `window.lineage`. */
export interface IpcBridge {
  transport: 'ipc'
  rpc(message: unknown): Promise<unknown>
}

/** The client over Electron IPC: the main process answers with the node's own dispatcher. */
export function createIpcClient (bridge: IpcBridge): LineageClient {
  let nextId = 1
  return {
    async call<M extends RpcMethodName>(method: M, ...params: RpcMethods[M]['params']): Promise<RpcMethods[M]['result']> {
      let reply: unknown
      try {
        reply = await bridge.rpc({ jsonrpc: '2.0', id: nextId++, method, params })
      } catch (err) {
        throw new NodeUnreachableError(err instanceof Error ? err.message : String(err))
      }
      return unwrap(reply as JsonRpcReply) as RpcMethods[M]['result']
    },
    close () {},
  }
}
