import fs from 'node:fs'
import path from 'node:path'
import type { Logger } from '@libp2p/logger'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './constants.js'

/** Folders below the data dir whose files are checked too (the keystore's). */
const MAX_DEPTH = 2

/**
 * Makes the data dir owner-only: the folder 0700, every file in it 0600 (and its folders 0700).
 * It holds the node's keys, its API token, the credentials of pinning services and everything it
 * was told, so nobody else on the computer may read it. A data dir that already existed with
 * looser modes (made by hand, or by an older version under umask 022) is tightened where this
 * user owns it; what it cannot tighten (another user's files) is returned as warnings, which the
 * node logs and shows in node_info and the UI. Symbolic links are not followed. Nothing to do on
 * Windows, whose ACLs the modes do not express.
 */
export function secureDataDir (dir: string, log: Logger, platform: NodeJS.Platform = process.platform): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  if (platform === 'win32') return []
  const warnings: string[] = []
  const uid = process.getuid?.()
  const tighten = (file: string, stat: fs.Stats, mode: number): void => {
    if ((stat.mode & 0o077) === 0) return
    const shown = (stat.mode & 0o777).toString(8)
    if (uid !== undefined && stat.uid !== uid) {
      warnings.push(`${file} can be read by other users (mode ${shown}) and belongs to another user (uid ${stat.uid}), so the node cannot make it private: make it ${mode.toString(8)} or move the data dir.`)
      return
    }
    try {
      fs.chmodSync(file, mode)
      log('made %s private (mode %s, was %s)', file, mode.toString(8), shown)
    } catch (err) {
      warnings.push(`${file} can be read by other users (mode ${shown}) and the node could not change that (${(err as NodeJS.ErrnoException).code ?? 'error'}): make it ${mode.toString(8)}.`)
    }
  }
  const walk = (folder: string, depth: number): void => {
    tighten(folder, fs.lstatSync(folder), PRIVATE_DIR_MODE)
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name)
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) walk(file, depth + 1)
      } else if (entry.isFile()) {
        tighten(file, fs.lstatSync(file), PRIVATE_FILE_MODE)
      }
    }
  }
  walk(dir, 1)
  for (const warning of warnings) log.error('%s', warning)
  return warnings
}
