import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface PackageInfo {
  /** Folder holding the app's package.json (the repo, or the app folder inside an installer). */
  root: string
  version: string
}

let cached: PackageInfo | undefined

/**
 * Finds the app's own package.json by walking up from this file. The same code runs from
 * TypeScript sources (tests), from `dist/` and from an Electron asar, so no fixed depth holds.
 */
export function packageInfo (): PackageInfo {
  if (cached !== undefined) return cached
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const file = path.join(dir, 'package.json')
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string, version?: string }
      if (pkg.name === 'lineage-desktop') {
        cached = { root: dir, version: pkg.version ?? '0.0.0' }
        return cached
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('lineage-desktop package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
}
