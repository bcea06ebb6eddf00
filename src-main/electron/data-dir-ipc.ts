import { IpcPayloadError } from './errors.js'
import { IPC_CHANNELS } from './ipc-channels.js'
import { handleIpc } from './ipc.js'
import { createDataDirChooser } from './data-dir.js'
import type { DataDirChooserComponents } from './data-dir.js'

/** Checks a `lineage:data-dir:choose` payload: null (open the dialog) or `{ reset?: boolean }`. */
export function checkDataDirRequest (payload: unknown): { reset: boolean } {
  if (payload === null || payload === undefined) return { reset: false }
  const reset = typeof payload === 'object' ? (payload as Record<string, unknown>).reset : undefined
  if (typeof payload !== 'object' || (reset !== undefined && typeof reset !== 'boolean')) {
    throw new IpcPayloadError(IPC_CHANNELS.dataDirChoose, 'reset', 'must be true or false')
  }
  return { reset: reset === true }
}

/**
 * The wizard's and Settings' "Choose…" button, and the restart that puts a new folder to use:
 * the node opens its folder once, so the app restarts as a whole (like a first start there).
 */
export function setupDataDirIpc (components: DataDirChooserComponents & { relaunch: () => void }, trustedUrl: string): () => void {
  const choose = createDataDirChooser(components)
  const removers = [
    handleIpc(IPC_CHANNELS.dataDirChoose, trustedUrl, async payload => await choose(checkDataDirRequest(payload).reset)),
    handleIpc(IPC_CHANNELS.appRelaunch, trustedUrl, () => {
      components.relaunch()
      return null
    }),
  ]
  return () => { for (const remove of removers) remove() }
}
