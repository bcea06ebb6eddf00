// Builds services for tests into a temporary folder, once per test file.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'
import { loadMarineService } from '../../services/toolchain/index.js'
import { buildService } from '../../services/toolchain/builder/index.js'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import type { BuiltService } from '../../services/toolchain/builder/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
export const REPO = path.resolve(here, '../..')
export const SERVICES = path.join(REPO, 'services')
export const FIXTURES = path.join(here, 'fixtures')

const outDir = mkdtempSync(path.join(tmpdir(), 'lineage-services-'))
/** Every folder made here, removed when the test file that imported this module ends. */
const made: string[] = [outDir]
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})
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
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  made.push(dir)
  return dir
}
