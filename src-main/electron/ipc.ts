import { ipcMain } from 'electron'
import type { IpcMainInvokeEvent } from 'electron'
import type { LineageNode } from '../node/index.js'
import { IPC_CHANNELS } from './ipc-channels.js'
import type { IpcChannelMap } from './ipc-channels.js'
import { isTrustedSender } from './security.js'

/** Answers the renderer's JSON-RPC calls with the node's own dispatcher, after checking the sender. */
export function setupIpc (node: LineageNode, trustedUrl: string): () => void {
  ipcMain.handle(IPC_CHANNELS.rpc, async (event: IpcMainInvokeEvent, message: IpcChannelMap['lineage:rpc']['request']): Promise<IpcChannelMap['lineage:rpc']['response']> => {
    if (!isTrustedSender(event.senderFrame, trustedUrl)) {
      throw new Error('IPC refused: the sender is not the Lineage Desktop window')
    }
    // The sender is the app's own window: it acts for the person at the machine.
    return (await node.api.dispatch(message, { transport: 'ipc', authenticated: true })) ?? null
  })
  return () => { ipcMain.removeHandler(IPC_CHANNELS.rpc) }
}
