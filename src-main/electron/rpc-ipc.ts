import type { LineageNode } from '../node/index.js'
import { IPC_CHANNELS } from './ipc-channels.js'
import { handleIpc } from './ipc.js'

/**
 * Answers the renderer's JSON-RPC calls with the node's own dispatcher: the same methods, schemas
 * and errors as HTTP and the WebSocket. The sender is the app's own window (handleIpc checks it),
 * which acts for the person at the machine, so it counts as holding the API token.
 */
export function setupRpcIpc (node: LineageNode, trustedUrl: string): () => void {
  return handleIpc(IPC_CHANNELS.rpc, trustedUrl, async message => {
    return (await node.api.dispatch(message, { transport: 'ipc', authenticated: true })) ?? null
  })
}
