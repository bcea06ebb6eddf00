import os from 'node:os'
import { ipcMain } from 'electron'
import { namedPaths, publicText } from '../api/index.js'
import type { BrowserWindow, IpcMainInvokeEvent, WebContents } from 'electron'
import { IPC_INTERNAL_ERROR_MESSAGE } from './constants.js'
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
      return { ok: false, error: ipcError(err, payload) }
    }
  })
  return () => { ipcMain.removeHandler(channel) }
}

/** JavaScript's own classes, and errors with a system code (EACCES…): a bug or the OS talking, not a message for people. */
const UNEXPECTED = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'])

/**
 * What the window is told of a failure: the app's own errors (named, written for people) keep
 * their name and words, without stack frames or library internals; their paths stay when under
 * the user's home or named in the request, since the window is that user's and messages such as
 * "delete the settings file …" need them. Anything else is an internal error.
 */
function ipcError (err: unknown, payload: unknown): { name: string, message: string } {
  const name = (err as { name?: unknown } | undefined)?.name
  const code = (err as { code?: unknown } | undefined)?.code
  if (!(err instanceof Error) || typeof name !== 'string' || UNEXPECTED.has(name) || !/^[A-Z][A-Za-z0-9]*Error$/.test(name) || typeof code === 'string') {
    return { name: 'InternalError', message: IPC_INTERNAL_ERROR_MESSAGE }
  }
  return { name, message: publicText(err.message, [os.homedir(), ...namedPaths(payload)]) }
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
