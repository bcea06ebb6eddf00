// Builds services for tests into a temporary folder, once per test file.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadMarineService } from '../../services/toolchain/index.js'
import { buildService } from '../../services/toolchain/builder/index.js'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import type { BuiltService } from '../../services/toolchain/builder/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
export const REPO = path.resolve(here, '../..')
export const SERVICES = path.join(REPO, 'services')
export const FIXTURES = path.join(here, 'fixtures')

const outDir = mkdtempSync(path.join(tmpdir(), 'lineage-services-'))
const builds = new Map<string, Promise<BuiltService>>()

/** Builds `services/<name>` (or a fixture folder when `dir` is given). */
export function build(name: string, dir = path.join(SERVICES, name)): Promise<BuiltService> {
  let built = builds.get(dir)
  if (built === undefined) {
    built = buildService({ dir, outFile: path.join(outDir, `${name}.wasm`) })
    builds.set(dir, built)
  }
  return built
}

export async function load(name: string, dir?: string): Promise<MarineServiceHandle> {
  const built = await build(name, dir)
  return loadMarineService(built.wasm, name)
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix))
}
