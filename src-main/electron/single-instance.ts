import type { App, BrowserWindow } from 'electron'

export interface SingleInstanceInit {
  /** The window to bring forward, or undefined to open one. */
  showWindow(): BrowserWindow | undefined
  /** The second launch's command line (it may carry a `lineage://` link). */
  onArgv(argv: readonly string[]): void
}

/**
 * One app per user: a second launch focuses the first window, hands over its command line, and
 * exits. Returns false when this process is the second one and must quit.
 */
export function setupSingleInstance (app: Pick<App, 'requestSingleInstanceLock' | 'on'>, init: SingleInstanceInit): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', (_event, argv) => {
    const window = init.showWindow()
    if (window !== undefined) {
      if (window.isMinimized()) window.restore()
      window.show()
      window.focus()
    }
    init.onArgv(argv)
  })
  return true
}
