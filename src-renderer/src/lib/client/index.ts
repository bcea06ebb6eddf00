/**
 * One typed client for the whole UI, over whichever transport the page has: Electron IPC when
 * the preload exposed `window.lineage`, otherwise WebSocket JSON-RPC to the node that served it.
 */
import type { LineageClient } from '../../../../src-main/api/rpc-types.js'
import { createIpcClient } from './ipc-transport.js'
import type { IpcBridge } from './ipc-transport.js'
import { createWebSocketClient } from './ws-transport.js'

declare global {
  interface Window {
    lineage?: IpcBridge
  }
}

export function createClient (win: Window = window): LineageClient {
  if (win.lineage?.transport === 'ipc') return createIpcClient(win.lineage)
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return createWebSocketClient(`${scheme}//${win.location.host}/rpc/ws`)
}

export { RpcCallError, NodeUnreachableError } from './errors.js'
export type { LineageClient } from '../../../../src-main/api/rpc-types.js'
