// Runs in the sandboxed preload world, which can load only `electron`: so this file is CommonJS
// and self-contained, and repeats the one channel name from ipc-channels.ts.
import electron = require('electron')

const RPC_CHANNEL = 'lineage:rpc'

/** What the page sees as `window.lineage`: JSON-RPC in, JSON-RPC out, nothing else. */
const bridge = {
  transport: 'ipc' as const,
  rpc: async (message: unknown): Promise<unknown> => electron.ipcRenderer.invoke(RPC_CHANNEL, message),
}

electron.contextBridge.exposeInMainWorld('lineage', bridge)
