import fs from 'node:fs'
import path from 'node:path'
import type { Settings } from 'electron'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSettingsStore } from '../../src-main/electron/index.js'
import { createLaunchAtLoginActivator, setupLaunchAtLogin, wasLaunchedAtLogin } from '../../src-main/electron/launch-at-login.js'
import type { LoginItemApp } from '../../src-main/electron/launch-at-login.js'
import { tempDir } from '../helpers/temp-dir.js'

/**
 * Electron's runtime cannot start here, so `app`'s two login-item methods are stood in for at the
 * Electron API boundary (typed by Electron's own declarations); the rest runs for real.
 */
function fakeApp (wasOpenedAtLogin = false): LoginItemApp & { calls: Settings[] } {
  const calls: Settings[] = []
  return {
    calls,
    setLoginItemSettings: settings => { calls.push(settings) },
    getLoginItemSettings: () => ({ openAtLogin: calls.at(-1)?.openAtLogin ?? false, wasOpenedAtLogin }) as ReturnType<LoginItemApp['getLoginItemSettings']>,
  }
}

describe('launch at login', () => {
  let t: { dir: string, cleanup: () => void }
  beforeEach(() => { t = tempDir() })
  afterEach(() => { t.cleanup() })

  it('toggles the macOS login item', () => {
    const app = fakeApp()
    const activate = createLaunchAtLoginActivator(app, { platform: 'darwin' })
    activate(true)
    activate(false)
    expect(app.calls).toEqual([{ openAtLogin: true }, { openAtLogin: false }])
  })

  it('toggles the Windows run key, starting the app in the tray', () => {
    const app = fakeApp()
    createLaunchAtLoginActivator(app, { platform: 'win32', execPath: 'C:\\Program Files\\Lineage\\Lineage Desktop.exe' })(true)
    expect(app.calls).toEqual([{ openAtLogin: true, path: 'C:\\Program Files\\Lineage\\Lineage Desktop.exe', args: ['--launched-at-login'] }])
  })

  it('toggles an XDG autostart entry on Linux, naming the AppImage when run from one', () => {
    const app = fakeApp()
    const entry = path.join(t.dir, 'autostart', 'lineage-desktop.desktop')
    const activate = createLaunchAtLoginActivator(app, { platform: 'linux', execPath: '/tmp/.mount_LineaXYZ/lineage-desktop', env: { APPIMAGE: '/home/ada/Lineage.AppImage' }, autostartPath: entry })
    activate(true)
    expect(fs.readFileSync(entry, 'utf8')).toContain('Exec="/home/ada/Lineage.AppImage" --launched-at-login')
    activate(false)
    expect(fs.existsSync(entry)).toBe(false)
    expect(app.calls).toEqual([])
  })

  it('applies the stored setting at start and hands back the activator', () => {
    const settings = createSettingsStore(path.join(t.dir, 'settings.json'))
    settings.set('launchAtLogin', true)
    const app = fakeApp()
    const activate = setupLaunchAtLogin(app, settings, { platform: 'darwin' })
    expect(app.calls).toEqual([{ openAtLogin: true }])
    activate(false)
    expect(app.calls.at(-1)).toEqual({ openAtLogin: false })
  })

  it('knows a start came from the login item: by its argument, or macOS saying so', () => {
    expect(wasLaunchedAtLogin(fakeApp(), ['/opt/lineage-desktop', '--launched-at-login'], 'linux')).toBe(true)
    expect(wasLaunchedAtLogin(fakeApp(), ['/opt/lineage-desktop'], 'linux')).toBe(false)
    expect(wasLaunchedAtLogin(fakeApp(true), ['/Applications/Lineage Desktop.app/Contents/MacOS/Lineage Desktop'], 'darwin')).toBe(true)
    expect(wasLaunchedAtLogin(fakeApp(true), ['/opt/lineage-desktop'], 'linux')).toBe(false)
  })
})
