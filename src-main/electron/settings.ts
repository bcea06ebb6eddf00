import fs from 'node:fs'
import path from 'node:path'
import { MAX_SETTINGS_FILE_BYTES, SETTINGS_VERSION } from './constants.js'
import { SettingsFileError } from './errors.js'
import type { DesktopSettings, SettingName, ToggleName } from './ipc-channels.js'
import { checkPublicGatewaySetting, DEFAULT_PUBLIC_GATEWAY, isPublicGatewaySetting } from './public-gateway-setting.js'

/** Every setting, with its default: a missing file or field means the default. */
export const DEFAULT_SETTINGS: Readonly<DesktopSettings> = Object.freeze({
  launchAtLogin: false,
  dataDir: null,
  publicGateway: DEFAULT_PUBLIC_GATEWAY,
})

/** What a stored value must be to be used; anything else means the default. */
const SETTING_CHECKS: { [N in SettingName]: (value: unknown) => value is DesktopSettings[N] } = {
  launchAtLogin: (value): value is boolean => typeof value === 'boolean',
  dataDir: (value): value is string | null => value === null || (typeof value === 'string' && path.isAbsolute(value)),
  publicGateway: isPublicGatewaySetting,
}

export const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as SettingName[]
/** The on/off settings. */
export const TOGGLE_NAMES = SETTING_NAMES.filter(name => typeof DEFAULT_SETTINGS[name] === 'boolean') as ToggleName[]

/** The file's shape at each version; `migrate` turns any older one into the current one. */
interface SettingsFile { version: number, settings: Partial<DesktopSettings> }

export interface DesktopSettingsStore {
  readonly path: string
  get(): DesktopSettings
  set<N extends SettingName>(name: N, value: DesktopSettings[N]): DesktopSettings
}

function read (filePath: string): SettingsFile | undefined {
  let text: string
  try {
    if (fs.statSync(filePath).size > MAX_SETTINGS_FILE_BYTES) throw new SettingsFileError(filePath, `larger than ${MAX_SETTINGS_FILE_BYTES} bytes`)
    text = fs.readFileSync(filePath, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new SettingsFileError(filePath, 'not JSON')
  }
  const file = parsed as Partial<SettingsFile> | null
  if (typeof file !== 'object' || file === null || typeof file.version !== 'number' || typeof file.settings !== 'object' || file.settings === null) {
    throw new SettingsFileError(filePath, 'not a settings file')
  }
  if (file.version > SETTINGS_VERSION) throw new SettingsFileError(filePath, `written by a newer Lineage (version ${file.version})`)
  return file as SettingsFile
}

/** Only known names with values their check accepts; anything else falls back to the default. */
function clean (settings: Partial<DesktopSettings>): DesktopSettings {
  const result = { ...DEFAULT_SETTINGS }
  for (const name of SETTING_NAMES) {
    const value: unknown = Object.hasOwn(settings, name) ? settings[name] : undefined
    if (SETTING_CHECKS[name](value)) result[name] = value as never
  }
  // Only its three fields: a hand-edited file's extra ones are not carried along.
  if (result.publicGateway !== DEFAULT_PUBLIC_GATEWAY) result.publicGateway = checkPublicGatewaySetting(result.publicGateway)
  return result
}

/**
 * The app's settings as one small versioned JSON file (Electron's userData folder), read once and
 * written whole through a temporary file and a rename, so a crash leaves the old or the new file.
 */
export function createSettingsStore (filePath: string): DesktopSettingsStore {
  let current = clean(read(filePath)?.settings ?? {})
  return {
    path: filePath,
    get: () => ({ ...current }),
    set (name, value) {
      const next = { ...current, [name]: value }
      fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 })
      const temp = `${filePath}.${process.pid}.tmp`
      fs.writeFileSync(temp, JSON.stringify({ version: SETTINGS_VERSION, settings: next }, null, 2) + '\n', { mode: 0o600 })
      fs.renameSync(temp, filePath)
      current = next
      return { ...current }
    },
  }
}

/**
 * Opens the settings, setting a file this version cannot read aside (`<file>.broken`) so the app
 * still starts, with the defaults; `onBroken` hears why.
 */
export function openSettingsStore (filePath: string, onBroken: (err: SettingsFileError) => void): DesktopSettingsStore {
  try {
    return createSettingsStore(filePath)
  } catch (err) {
    if (!(err instanceof SettingsFileError)) throw err
    onBroken(err)
    fs.renameSync(filePath, `${filePath}.broken`)
    return createSettingsStore(filePath)
  }
}
