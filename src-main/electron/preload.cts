// Runs in the sandboxed preload world, which can load only `electron`: so this file is CommonJS
// and self-contained, and repeats the channel names of ipc-channels.ts (a test checks they agree).
import electron = require('electron')
import type { DesktopBridge } from './bridge.js'

const INVOKE = {
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
const EVENTS = {
  notification: 'lineage:notification',
  openToken: 'lineage:open-token',
} as const

type Result = { ok: true, value: unknown } | { ok: false, error: { name: string, message: string } }

/** Calls a channel and gives back its value, or throws its error again under its own name. */
async function invoke<T> (channel: string, payload: unknown = null): Promise<T> {
  const result = await electron.ipcRenderer.invoke(channel, payload) as Result
  if (result.ok) return result.value as T
  const error = new Error(result.error.message)
  error.name = result.error.name
  throw error
}

/** Listens to one main → page channel; the page never sees the IPC event object. */
function listen<T> (channel: string, listener: (payload: T) => void): () => void {
  const wrapped = (_event: unknown, payload: T): void => { listener(payload) }
  electron.ipcRenderer.on(channel, wrapped)
  return () => { electron.ipcRenderer.removeListener(channel, wrapped) }
}

/** What the page sees as `window.lineage`: JSON-RPC, the desktop-only settings, and events. */
const bridge: DesktopBridge = {
  transport: 'ipc',
  rpc: async message => await invoke(INVOKE.rpc, message),
  onNotification: listener => listen(EVENTS.notification, listener),
  onOpenToken: listener => listen(EVENTS.openToken, listener),
  settings: {
    get: async () => await invoke(INVOKE.settingsGet),
    set: async (name, value) => await invoke(INVOKE.settingsSet, { name, value }),
    setPublicGateway: async setting => await invoke(INVOKE.publicGatewaySet, setting),
  },
  keychain: {
    status: async () => await invoke(INVOKE.keychainStatus),
    remember: async (key, passphrase) => await invoke(INVOKE.keychainRemember, { key, passphrase }),
    recall: async key => await invoke(INVOKE.keychainRecall, { key }),
    forget: async key => await invoke(INVOKE.keychainForget, { key }),
  },
  logs: {
    open: async () => await invoke(INVOKE.logsOpen),
  },
  dataDir: {
    choose: async () => await invoke(INVOKE.dataDirChoose),
    useDefault: async () => await invoke(INVOKE.dataDirChoose, { reset: true }),
  },
  relaunch: async () => { await invoke(INVOKE.appRelaunch) },
  ipfs: {
    get: async path => await invoke(INVOKE.ipfsGet, { path }),
  },
  files: {
    choose: async kind => await invoke(INVOKE.filesChoose, { kind }),
    save: async (name, text) => await invoke(INVOKE.filesSave, { name, text }),
    chooseSave: async name => await invoke(INVOKE.filesChooseSave, { name }),
    // A dropped file's path on disk: read here, since the page's File objects carry none.
    pathOf: file => electron.webUtils.getPathForFile(file),
  },
}

electron.contextBridge.exposeInMainWorld('lineage', bridge)
