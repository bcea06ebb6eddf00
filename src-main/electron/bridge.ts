/**
 * The type of `window.lineage` in the desktop app, as `preload.cts` builds it. The renderer's
 * IPC transport uses `transport` and `rpc`; the rest is what only the desktop app offers.
 * Every method rejects with an Error whose `name` is the main process's error class
 * (IpcPayloadError, KeychainUnavailableError…).
 */
import type { DataDirChoice, DesktopSettings, FileChoiceKind, IpcEventMap, KeychainStatus, PublicGatewaySetting, ToggleName } from './ipc-channels.js'

export interface DesktopBridge {
  transport: 'ipc'
  /** One JSON-RPC request or batch in, its response out (null for notifications). */
  rpc(message: unknown): Promise<unknown>
  /** Job progress and transaction outcomes, as the WebSocket sends them. Returns an unsubscribe function. */
  onNotification(listener: (notification: IpcEventMap['lineage:notification']) => void): () => void
  /** A `lineage://token/…` link the user opened: show that token. */
  onOpenToken(listener: (link: IpcEventMap['lineage:open-token']) => void): () => void
  settings: {
    get(): Promise<DesktopSettings>
    set(name: ToggleName, value: boolean): Promise<DesktopSettings>
    /** Saves "Serve publicly" for the next start; rejects with PublicGatewaySettingError naming the field. */
    setPublicGateway(setting: PublicGatewaySetting): Promise<DesktopSettings>
  }
  keychain: {
    status(): Promise<KeychainStatus>
    /** Only after the user asked for it: stores the passphrase encrypted by the OS keychain. */
    remember(key: string, passphrase: string): Promise<KeychainStatus>
    recall(key: string): Promise<string | null>
    forget(key: string): Promise<KeychainStatus>
  }
  logs: {
    /** Opens the log folder in the file manager; resolves to its path. */
    open(): Promise<string>
  }
  dataDir: {
    /** Asks for a folder in the OS dialog and keeps it for the next start. */
    choose(): Promise<DataDirChoice>
    /** Goes back to the default folder from the next start. */
    useDefault(): Promise<DataDirChoice>
  }
  /** Restarts the app (its node then opens the chosen data folder). */
  relaunch(): Promise<void>
  ipfs: {
    /** What the node's gateway serves at `/ipfs/<cid>[/path]` (the window cannot load http), or null when it does not hold it. */
    get(path: string): Promise<Uint8Array | null>
  }
  files: {
    /** The system picker for an import's folder, CSV or CAR file: its path, or null when cancelled. */
    choose(kind: FileChoiceKind): Promise<string | null>
    /** Saves text (a key's encrypted backup) where the person chooses: the path, or null when cancelled. */
    save(name: string, text: string): Promise<string | null>
    /** Where the node should write a file (a CAR backup), from the system save dialog; null when cancelled. */
    chooseSave(name: string): Promise<string | null>
    /** The path of a file or folder dropped on the window ('' when it has none). */
    pathOf(file: File): string
  }
}
