import { app } from 'electron'
import type { BrowserWindow } from 'electron'

/**
 * One app per user: a second launch focuses the first window and exits. Returns false when this
 * process is the second one and must quit.
 */
export function setupSingleInstance (getWindow: () => BrowserWindow | undefined): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', () => {
    const window = getWindow()
    if (window === undefined) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  return true
}
