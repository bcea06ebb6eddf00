import os from 'node:os'
import path from 'node:path'
import { DATA_DIR_ENV } from './constants.js'

/** Where a user's node keeps its data when nothing else is said, per OS conventions. */
export function defaultDataDir (env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  const fromEnv = env[DATA_DIR_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(fromEnv)
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Lineage')
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Lineage')
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'lineage')
}
