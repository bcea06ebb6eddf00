import { describe, expect, it, vi } from 'vitest'
import { mainWindowOptions } from '../../src-main/electron/index.js'
import { createMainWindow } from '../../src-main/electron/window.js'
import type { BrowserWindow } from './fake-electron.js'

// Electron's runtime cannot start here: BrowserWindow is stood in for at the Electron API boundary.
vi.mock('electron', async () => await import('./fake-electron.js'))

describe('main window', () => {
  it('is built from the secure options, loads our page, and shows itself once ready unless started at login', () => {
    const window = createMainWindow({ preloadPath: '/app/preload.cjs', rendererIndexPath: '/app/dist/renderer/index.html', show: true }) as unknown as BrowserWindow
    expect(window.options).toEqual(mainWindowOptions('/app/preload.cjs'))
    expect(window.loaded).toBe('/app/dist/renderer/index.html')
    expect(window.shown).toBe(false)
    window.emit('ready-to-show')
    expect(window.shown).toBe(true)

    const hidden = createMainWindow({ preloadPath: '/app/preload.cjs', rendererIndexPath: '/app/dist/renderer/index.html', show: false }) as unknown as BrowserWindow
    hidden.emit('ready-to-show')
    expect(hidden.shown).toBe(false)
  })
})
