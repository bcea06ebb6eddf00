import type { RpcMethodName, RpcMethods } from '../../../../src-main/api/rpc-types.js'
import { NodeUnreachableError } from './errors.js'
import type { NodeNotification, UiClient } from './types.js'
import { unwrap } from './response.js'
import type { JsonRpcReply } from './response.js'

/** The OS keychain as the desktop app offers it (src-main/electron/ipc-channels.ts KeychainStatus). */
export interface KeychainStatus {
  available: boolean
  /** Why it is not available, in words. */
  reason: string | null
  /** Names of the keys whose passphrase is remembered. */
  remembered: string[]
}

export interface KeychainBridge {
  status(): Promise<KeychainStatus>
  remember(key: string, passphrase: string): Promise<KeychainStatus>
  recall(key: string): Promise<string | null>
  forget(key: string): Promise<KeychainStatus>
}

/** What choosing the data folder answered (src-main/electron/ipc-channels.ts DataDirChoice). */
export interface DataDirChoice {
  chosen: string | null
  running: string
  restartNeeded: boolean
}

export interface DataDirBridge {
  choose(): Promise<DataDirChoice>
  useDefault(): Promise<DataDirChoice>
}

/** The "Serve publicly" setting (src-main/electron/ipc-channels.ts PublicGatewaySetting). */
export interface PublicGatewaySetting {
  enabled: boolean
  host: string
  port: number
}

/** The desktop app's own settings (src-main/electron/ipc-channels.ts DesktopSettings). */
export interface DesktopSettingsInfo {
  launchAtLogin: boolean
  dataDir: string | null
  /** Absent from a desktop app older than this page. */
  publicGateway?: PublicGatewaySetting
}

/**
 * What the Electron preload exposes as `window.lineage` (src-main/electron/bridge.ts): JSON-RPC,
 * and, when the shell offers them, pushed notifications, opened deep links and the desktop-only
 * settings, keychain and data folder.
 */
export interface IpcBridge {
  transport: 'ipc'
  rpc(message: unknown): Promise<unknown>
  onNotification?(listener: (notification: NodeNotification) => void): () => void
  onOpenToken?(listener: (link: { chainId: string, address: string, tokenId: string }) => void): () => void
  settings?: {
    get(): Promise<DesktopSettingsInfo>
    set(name: 'launchAtLogin', value: boolean): Promise<DesktopSettingsInfo>
    /** Rejects with PublicGatewaySettingError (in words) on a bad interface or port; nothing is saved then. */
    setPublicGateway?(setting: { enabled: boolean, host: string, port: unknown }): Promise<DesktopSettingsInfo>
  }
  logs?: { open(): Promise<string> }
  keychain?: KeychainBridge
  dataDir?: DataDirBridge
  relaunch?(): Promise<void>
  /** What the node serves at `/ipfs/<cid>[/path]` (the desktop window loads nothing over http); null when it lacks it. */
  ipfs?: { get(path: string): Promise<Uint8Array | null> }
  /** The system pickers and a dropped file's path (src-main/electron/bridge.ts `files`). */
  files?: FilesBridge
}

/** What an import reads, as the system picker offers it. */
export type FileChoiceKind = 'folder' | 'csv' | 'car'

export interface FilesBridge {
  choose(kind: FileChoiceKind): Promise<string | null>
  save(name: string, text: string): Promise<string | null>
  chooseSave(name: string): Promise<string | null>
  pathOf(file: File): string
}

/** The client over Electron IPC: the main process answers with the node's own dispatcher. */
export function createIpcClient (bridge: IpcBridge): UiClient {
  let nextId = 1
  return {
    mode: 'desktop',
    async call<M extends RpcMethodName>(method: M, ...params: RpcMethods[M]['params']): Promise<RpcMethods[M]['result']> {
      let reply: unknown
      try {
        reply = await bridge.rpc({ jsonrpc: '2.0', id: nextId++, method, params })
      } catch (err) {
        throw new NodeUnreachableError(err instanceof Error ? err.message : String(err))
      }
      return unwrap(reply as JsonRpcReply) as RpcMethods[M]['result']
    },
    onNotification (listener) {
      return bridge.onNotification?.(listener) ?? (() => {})
    },
    close () {},
  }
}
