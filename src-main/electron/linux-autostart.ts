import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { LAUNCHED_AT_LOGIN_ARG, LINUX_AUTOSTART_NAME } from './constants.js'

/**
 * Where the XDG autostart entry lives: `$XDG_CONFIG_HOME/autostart/`, or `~/.config/autostart/`.
 * Every freedesktop session (GNOME, KDE, XFCE…) starts the `.desktop` files it finds there.
 */
export function autostartEntryPath (env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const configHome = env.XDG_CONFIG_HOME !== undefined && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config')
  return path.join(configHome, 'autostart', `${LINUX_AUTOSTART_NAME}.desktop`)
}

/** A path as one argument of an Exec line (Desktop Entry spec: quoted, with `"`, `` ` ``, `$`, `\` escaped). */
export function quoteExecArgument (arg: string): string {
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`
}

/** The entry that starts the app in the tray at login. */
export function autostartEntry (executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Lineage Desktop',
    'Comment=Keeps your Lineage node serving your metadata',
    `Exec=${quoteExecArgument(executable)} ${LAUNCHED_AT_LOGIN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

/**
 * Adds or removes the autostart entry. `executable` is what to start: the AppImage file itself
 * when running from one (`$APPIMAGE`; its mount point changes every run), else the app binary.
 */
export function setLinuxAutostart (enabled: boolean, executable: string, entryPath = autostartEntryPath()): void {
  if (!enabled) {
    fs.rmSync(entryPath, { force: true })
    return
  }
  fs.mkdirSync(path.dirname(entryPath), { recursive: true })
  fs.writeFileSync(entryPath, autostartEntry(executable))
}

export function isLinuxAutostartSet (entryPath = autostartEntryPath()): boolean {
  return fs.existsSync(entryPath)
}
