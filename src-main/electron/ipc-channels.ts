/**
 * Every IPC channel between the renderer and the main process, with its payloads: one map, typed
 * both ways. The UI's work is JSON-RPC through `lineage:rpc`, so the renderer gets exactly the API
 * a browser gets; the other channels are what only a desktop app has (login item, keychain, logs
 * folder, deep links, pushed events). IPC carries messages to and from the page only; the main
 * process never talks to itself through it.
 *
 * `preload.cts` repeats these names (a sandboxed preload can load nothing but `electron`);
 * test/electron/ipc-channels.test.ts checks that both lists agree.
 */
import type { JobNotification, JsonRpcResponse } from '../api/index.js'
import type { TokenLink } from './deep-link.js'

export const IPC_CHANNELS = {
  rpc: 'lineage:rpc',
  settingsGet: 'lineage:settings:get',
  settingsSet: 'lineage:settings:set',
  keychainStatus: 'lineage:keychain:status',
  keychainRemember: 'lineage:keychain:remember',
  keychainRecall: 'lineage:keychain:recall',
  keychainForget: 'lineage:keychain:forget',
  logsOpen: 'lineage:logs:open',
  dataDirChoose: 'lineage:data-dir:choose',
  appRelaunch: 'lineage:app:relaunch',
  ipfsGet: 'lineage:ipfs:get',
  publicGatewaySet: 'lineage:public-gateway:set',
  filesChoose: 'lineage:files:choose',
  filesSave: 'lineage:files:save',
  filesChooseSave: 'lineage:files:choose-save',
} as const

/** Channels the main process sends on, never listens to. */
export const IPC_EVENTS = {
  notification: 'lineage:notification',
  openToken: 'lineage:open-token',
} as const

/** The app's own settings (the node's settings live in its database). */
export interface DesktopSettings {
  /** Start Lineage, in the tray, when the user logs in. */
  launchAtLogin: boolean
  /**
   * The node's data folder the user chose, used from the next start; null means the default
   * (`LINEAGE_DATA_DIR`, else the OS app-data folder).
   */
  dataDir: string | null
  /**
   * "Serve publicly": the node's public, read-only gateway listener (metadata and blocks, never
   * the API) on this interface and port, used from the next start. Off by default.
   */
  publicGateway: PublicGatewaySetting
}

/** The "Serve publicly" setting: whether the public gateway listener opens, and where. */
export interface PublicGatewaySetting {
  enabled: boolean
  /** An IP address of this machine: 0.0.0.0 (every interface), or one network's address. */
  host: string
  /** A fixed port (1–65535), so a router or firewall can forward to it. */
  port: number
}
export type SettingName = keyof DesktopSettings
/** The on/off settings, which `lineage:settings:set` changes (the data folder has its own channel). */
export type ToggleName = { [N in SettingName]: DesktopSettings[N] extends boolean ? N : never }[SettingName]

/** What choosing a data folder answered. */
export interface DataDirChoice {
  /** The folder the node uses from the next start (null: the default), after this choice. */
  chosen: string | null
  /** The folder the running node uses. */
  running: string
  /** Whether the app must restart to use `chosen`. */
  restartNeeded: boolean
}

export interface KeychainStatus {
  /** Whether the OS keychain can protect a passphrase on this machine now. */
  available: boolean
  /** Why not, in words, when it cannot. */
  reason: string | null
  /** Names of the keys whose passphrase is remembered. */
  remembered: string[]
}

/** What an import reads, as the system picker offers it. */
export type FileChoiceKind = 'folder' | 'csv' | 'car'

/** Renderer → main requests and their answers. */
export interface IpcInvokeMap {
  'lineage:rpc': { request: unknown, response: JsonRpcResponse | JsonRpcResponse[] | null }
  'lineage:settings:get': { request: null, response: DesktopSettings }
  'lineage:settings:set': { request: { name: ToggleName, value: boolean }, response: DesktopSettings }
  'lineage:keychain:status': { request: null, response: KeychainStatus }
  /** The explicit opt-in: only this call ever stores a passphrase. */
  'lineage:keychain:remember': { request: { key: string, passphrase: string }, response: KeychainStatus }
  'lineage:keychain:recall': { request: { key: string }, response: string | null }
  'lineage:keychain:forget': { request: { key: string }, response: KeychainStatus }
  /** Opens the log folder in the file manager; answers its path. */
  'lineage:logs:open': { request: null, response: string }
  /**
   * Opens the OS folder dialog; the folder picked is checked and saved for the next start.
   * `{ reset: true }` goes back to the default folder instead. A cancelled dialog changes nothing.
   */
  'lineage:data-dir:choose': { request: { reset?: boolean } | null, response: DataDirChoice }
  /** Restarts the whole app (to use a newly chosen data folder). */
  'lineage:app:relaunch': { request: null, response: null }
  /**
   * A block (or a dag-cbor field) the node holds, as its gateway's `/ipfs/<cid>[/path]` serves it,
   * for the token editor's image preview; null when the node does not hold it.
   */
  'lineage:ipfs:get': { request: { path: string }, response: Uint8Array | null }
  /** Checks and saves the "Serve publicly" setting for the next start; bad input saves nothing. */
  'lineage:public-gateway:set': { request: PublicGatewaySetting, response: DesktopSettings }
  /** The system picker for an import's folder or file; its path, or null when cancelled. */
  'lineage:files:choose': { request: { kind: FileChoiceKind }, response: string | null }
  /** The system save dialog, then writes `text` there (mode 0600); the path saved, or null when cancelled. */
  'lineage:files:save': { request: { name: string, text: string }, response: string | null }
  /** The system save dialog for a file the node writes (a CAR backup); the path chosen, or null. Writes nothing. */
  'lineage:files:choose-save': { request: { name: string }, response: string | null }
}
export type IpcInvokeChannel = keyof IpcInvokeMap

/** Main → renderer events and their payloads. */
export interface IpcEventMap {
  /** The same notifications the WebSocket sends: job progress and transaction outcomes. */
  'lineage:notification': JobNotification
  /** A `lineage://token/…` link the user opened. */
  'lineage:open-token': TokenLink
}
export type IpcEventChannel = keyof IpcEventMap

/**
 * What an invoke channel answers on the wire: Electron would flatten a thrown error into its
 * message, so failures travel as data and the preload throws them again with their name.
 */
export type IpcResult<T> = { ok: true, value: T } | { ok: false, error: { name: string, message: string } }

