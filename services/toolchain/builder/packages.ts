// AssemblyScript packages a service may import, and where their sources live.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ServiceBuildError } from './errors.js'

/** Import name → folder under `services/` holding `assembly/`. */
export const PACKAGE_FOLDERS: Readonly<Record<string, string>> = {
  '@lineage/marine': 'runtime',
  '@lineage/lib': 'lib',
  '@lineage/contract-sdk': 'contract-sdk',
}

const MARKER = path.join('runtime', 'assembly', 'index.ts')

/** The `services/` folder: two up from this file in the repo, or found above `dist/services/toolchain/builder`. */
export function findServicesRoot(start = path.dirname(fileURLToPath(import.meta.url))): string {
  const sibling = path.resolve(start, '..', '..')
  if (existsSync(path.join(sibling, MARKER))) return sibling
  let dir = start
  for (;;) {
    const candidate = path.join(dir, 'services')
    if (existsSync(path.join(candidate, MARKER))) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) throw new ServiceBuildError(`cannot find the services/ folder (AssemblyScript packages) above ${start}`)
    dir = parent
  }
}

/** Resolves an import inside AssemblyScript sources to a file path, or null when it is not ours. */
export function resolveModule(fromFile: string, specifier: string, servicesRoot: string): string | null {
  if (specifier.startsWith('.')) return withTsExtension(path.resolve(path.dirname(fromFile), specifier))
  for (const [name, folder] of Object.entries(PACKAGE_FOLDERS)) {
    if (specifier === name) return path.join(servicesRoot, folder, 'assembly', 'index.ts')
    if (specifier.startsWith(`${name}/`)) {
      return withTsExtension(path.join(servicesRoot, folder, 'assembly', specifier.slice(name.length + 1)))
    }
  }
  return null
}

function withTsExtension(base: string): string {
  if (base.endsWith('.ts')) return base
  if (existsSync(`${base}.ts`)) return `${base}.ts`
  return path.join(base, 'index.ts')
}

/** The specifier the generated entry (in `assemblyDir`) uses to import `file`. */
export function specifierFor(file: string, assemblyDir: string, servicesRoot: string): string {
  for (const [name, folder] of Object.entries(PACKAGE_FOLDERS)) {
    const root = path.join(servicesRoot, folder, 'assembly')
    const rel = path.relative(root, file)
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
      const inner = rel.replace(/\.ts$/, '').split(path.sep).join('/')
      return inner === 'index' ? name : `${name}/${inner}`
    }
  }
  const rel = path.relative(assemblyDir, file).replace(/\.ts$/, '').split(path.sep).join('/')
  return rel.startsWith('.') ? rel : `./${rel}`
}
