import type { App } from 'electron'
import { LAUNCHED_AT_LOGIN_ARG } from './constants.js'
import { autostartEntryPath, setLinuxAutostart } from './linux-autostart.js'
import type { DesktopSettingsStore } from './settings.js'

/** The parts of Electron's `app` this concern uses, so tests hand in their own. */
export type LoginItemApp = Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>

export interface LaunchAtLoginInit {
  platform?: NodeJS.Platform
  /** The app binary (`process.execPath`). */
  execPath?: string
  env?: NodeJS.ProcessEnv
  /** Linux only: where the autostart entry goes. */
  autostartPath?: string
}

/**
 * The setting's one activate(): makes the OS start the app at login, or stop doing so. macOS and
 * Windows keep login items themselves (`app.setLoginItemSettings`; Windows gets an argument so
 * the app opens in the tray); Linux has no such API in Electron, so this writes an XDG autostart
 * entry.
 */
export function createLaunchAtLoginActivator (app: LoginItemApp, init: LaunchAtLoginInit = {}): (enabled: boolean) => void {
  const platform = init.platform ?? process.platform
  const execPath = init.execPath ?? process.execPath
  const env = init.env ?? process.env
  return enabled => {
    if (platform === 'darwin') app.setLoginItemSettings({ openAtLogin: enabled })
    else if (platform === 'win32') app.setLoginItemSettings({ openAtLogin: enabled, path: execPath, args: [LAUNCHED_AT_LOGIN_ARG] })
    else setLinuxAutostart(enabled, env.APPIMAGE ?? execPath, init.autostartPath ?? autostartEntryPath(env))
  }
}

/** Whether this start came from the login item, so the app stays in the tray without a window. */
export function wasLaunchedAtLogin (app: LoginItemApp, argv: readonly string[], platform: NodeJS.Platform = process.platform): boolean {
  if (argv.includes(LAUNCHED_AT_LOGIN_ARG)) return true
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true
}

/**
 * Applies the stored setting at start (the user may have removed the login item, or moved the
 * app), and returns the activator for the settings channel.
 */
export function setupLaunchAtLogin (app: LoginItemApp, settings: DesktopSettingsStore, init: LaunchAtLoginInit = {}): (enabled: boolean) => void {
  const activate = createLaunchAtLoginActivator(app, init)
  activate(settings.get().launchAtLogin)
  return activate
}
