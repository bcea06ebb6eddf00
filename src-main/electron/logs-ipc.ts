import { shell } from 'electron'
import { LogFolderError } from './errors.js'
import { IPC_CHANNELS } from './ipc-channels.js'
import { handleIpc } from './ipc.js'

/** The Logs screen's "Open log folder" button: shows the folder in the file manager. */
export function setupLogsIpc (dir: string, trustedUrl: string): () => void {
  return handleIpc(IPC_CHANNELS.logsOpen, trustedUrl, async () => {
    const failure = await shell.openPath(dir)
    if (failure !== '') throw new LogFolderError(dir, failure)
    return dir
  })
}
