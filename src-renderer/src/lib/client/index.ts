/**
 * One typed client for the whole UI, over whichever transport the page has: Electron IPC when
 * the preload exposed `window.lineage`, otherwise WebSocket JSON-RPC to the node that served it,
 * carrying the API token (browser mode).
 */
import { createIpcClient } from './ipc-transport.js'
import type { IpcBridge } from './ipc-transport.js'
import type { UiClient } from './types.js'
import { createWebSocketClient } from './ws-transport.js'
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../../src-main/api/constants.js'

declare global {
  interface Window {
    lineage?: IpcBridge
  }
}

export function createClient (win: Window = window, token: string | null = null): UiClient {
  if (win.lineage?.transport === 'ipc') return createIpcClient(win.lineage)
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:'
  // The token rides in the handshake's Sec-WebSocket-Protocol header, never in the address.
  const protocols = token === null ? [WS_PROTOCOL] : [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`]
  return createWebSocketClient(`${scheme}//${win.location.host}/rpc/ws`, protocols)
}

export function isDesktop (win: Window = window): boolean {
  return win.lineage?.transport === 'ipc'
}

export { RpcCallError, NodeUnreachableError } from './errors.js'
export type { LineageClient } from '../../../../src-main/api/rpc-types.js'
export type { NodeNotification, UiClient } from './types.js'
export type { IpcBridge, FilesBridge, FileChoiceKind, KeychainBridge, KeychainStatus, DataDirBridge, DataDirChoice, DesktopSettingsInfo, PublicGatewaySetting } from './ipc-transport.js'
