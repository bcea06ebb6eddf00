/**
 * Stand-ins for the parts of the `electron` module the main-process files call at runtime.
 * Electron's runtime cannot start on these machines (its binary cannot be downloaded, and
 * `require('electron')` under Node throws), so specs that import a file using `ipcMain`, `shell`
 * or `BrowserWindow` replace the module with these, and only these: everything on our side of
 * the Electron API runs for real. Each stand-in records what it was asked, typed by Electron's
 * own declarations where a file hands it around.
 *
 * Use: `vi.mock('electron', async () => await import('./fake-electron.js'))`.
 */
import { EventEmitter } from 'node:events'

type Handler = (event: { senderFrame: { url: string, parent: unknown } | null }, payload: unknown) => Promise<unknown>

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>()
  handle (channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
  }

  removeHandler (channel: string): void {
    this.handlers.delete(channel)
  }

  /** What `ipcRenderer.invoke` would get, sent from a top frame showing `url` (or a subframe). */
  async invoke (channel: string, payload: unknown, url: string, parent: unknown = null): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`)
    return await handler({ senderFrame: { url, parent } }, payload)
  }
}

export const ipcMain = new FakeIpcMain()

export const shell = {
  opened: [] as string[],
  external: [] as string[],
  openPathResult: '',
  async openPath (path: string): Promise<string> {
    shell.opened.push(path)
    return shell.openPathResult
  },
  async openExternal (url: string): Promise<void> {
    shell.external.push(url)
  },
}

/** A web contents: its page URL, what was sent to it, and the handlers files register on it. */
export class FakeWebContents extends EventEmitter {
  readonly sent: Array<{ channel: string, payload: unknown }> = []
  readonly mainFrame: { url: string, parent: null }
  destroyed = false
  loading = false
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined
  permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined
  permissionCheck: ((contents: unknown, permission: string) => boolean) | undefined
  readonly session = {
    setPermissionRequestHandler: (handler: FakeWebContents['permissionRequest']) => { this.permissionRequest = handler },
    setPermissionCheckHandler: (handler: FakeWebContents['permissionCheck']) => { this.permissionCheck = handler },
  }

  constructor (url: string) {
    super()
    this.mainFrame = { url, parent: null }
  }

  isDestroyed (): boolean { return this.destroyed }
  isLoading (): boolean { return this.loading }
  send (channel: string, payload: unknown): void { this.sent.push({ channel, payload }) }
  setWindowOpenHandler (handler: FakeWebContents['windowOpenHandler']): void { this.windowOpenHandler = handler }
}

/** A BrowserWindow that records its options and what it loaded. */
export class BrowserWindow extends EventEmitter {
  static created: BrowserWindow[] = []
  readonly webContents = new FakeWebContents('about:blank')
  loaded: string | undefined
  shown = false
  constructor (readonly options: unknown) {
    super()
    BrowserWindow.created.push(this)
  }

  async loadFile (file: string): Promise<void> { this.loaded = file }
  show (): void { this.shown = true }
}

export const dialog = {
  errors: [] as Array<[string, string]>,
  showErrorBox (title: string, content: string): void { dialog.errors.push([title, content]) },
  /** Each open dialog's options and parent window; it answers `openResult`. */
  opened: [] as Array<{ parent: unknown, options: unknown }>,
  openResult: { canceled: true, filePaths: [] as string[] },
  async showOpenDialog (parentOrOptions: unknown, options?: unknown): Promise<{ canceled: boolean, filePaths: string[] }> {
    dialog.opened.push(options === undefined ? { parent: undefined, options: parentOrOptions } : { parent: parentOrOptions, options })
    return dialog.openResult
  },
  /** Each save dialog's options and parent window; it answers `saveResult`. */
  saving: [] as Array<{ parent: unknown, options: unknown }>,
  saveResult: { canceled: true, filePath: '' },
  async showSaveDialog (parentOrOptions: unknown, options?: unknown): Promise<{ canceled: boolean, filePath: string }> {
    dialog.saving.push(options === undefined ? { parent: undefined, options: parentOrOptions } : { parent: parentOrOptions, options })
    return dialog.saveResult
  },
  /** Each message box's options; it answers the button `messageResponse`. */
  messages: [] as unknown[],
  messageResponse: 0,
  async showMessageBox (options: unknown): Promise<{ response: number, checkboxChecked: boolean }> {
    dialog.messages.push(options)
    return { response: dialog.messageResponse, checkboxChecked: false }
  },
}

export default { ipcMain, shell, BrowserWindow, dialog }
