import { ipcMain } from 'electron'
import type { BrowserWindow, IpcMainInvokeEvent, WebContents } from 'electron'
import { IpcSenderError } from './errors.js'
import type { IpcEventChannel, IpcEventMap, IpcInvokeChannel, IpcInvokeMap, IpcResult } from './ipc-channels.js'
import { isTrustedSender } from './security.js'

export type IpcHandler<C extends IpcInvokeChannel> = (payload: unknown) => Promise<IpcInvokeMap[C]['response']> | IpcInvokeMap[C]['response']

/**
 * Answers one invoke channel, for the app's own page only: a message from any other frame (a
 * subframe, a page that navigated away) is refused before the handler sees it. The payload
 * arrives as `unknown`; each handler checks its shape. Returns a function that removes it.
 */
export function handleIpc<C extends IpcInvokeChannel> (channel: C, trustedUrl: string, handler: IpcHandler<C>): () => void {
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown): Promise<IpcResult<IpcInvokeMap[C]['response']>> => {
    if (!isTrustedSender(event.senderFrame, trustedUrl)) throw new IpcSenderError(channel)
    try {
      return { ok: true, value: await handler(payload) }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err))
      return { ok: false, error: { name: error.name, message: error.message } }
    }
  })
  return () => { ipcMain.removeHandler(channel) }
}

/**
 * Sends an event to the page, only while the window still shows our own page (never to a page it
 * navigated to, were that ever allowed). Returns whether it was sent.
 */
export function sendIpc<C extends IpcEventChannel> (contents: WebContents | undefined, trustedUrl: string, channel: C, payload: IpcEventMap[C]): boolean {
  if (contents === undefined || contents.isDestroyed()) return false
  if (!isTrustedSender(contents.mainFrame, trustedUrl)) return false
  contents.send(channel, payload)
  return true
}

/** Sends an event once the window's page has loaded (a deep link can arrive before it has). */
export function sendIpcWhenLoaded<C extends IpcEventChannel> (window: BrowserWindow, trustedUrl: string, channel: C, payload: IpcEventMap[C]): void {
  const contents = window.webContents
  if (contents.isLoading()) contents.once('did-finish-load', () => { sendIpc(contents, trustedUrl, channel, payload) })
  else sendIpc(contents, trustedUrl, channel, payload)
}
