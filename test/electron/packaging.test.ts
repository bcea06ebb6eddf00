/**
 * Packages the app with electron-builder's own `--dir` target, as `npm run dist` would before
 * making installers, and checks the layout holds every file the runtime needs, inside or outside
 * the asar as it must be. Electron cannot be downloaded here, so `electronDist` points at a local
 * stand-in (a folder with an `electron` executable and `resources/`): with it, `--linux dir`
 * needs no network at all (the Electron zip is the only download of that target; AppImage and
 * deb would also fetch tool bundles, which is why installers are built where downloads work).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getRawHeader } from '@electron/asar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp-dir.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

interface AsarEntry { files?: Record<string, AsarEntry>, unpacked?: boolean, size?: number }

/** Every file in the asar header, with whether it was unpacked. */
function asarFiles (archive: string): Map<string, boolean> {
  const files = new Map<string, boolean>()
  const walk = (entry: AsarEntry, prefix: string): void => {
    for (const [name, child] of Object.entries(entry.files ?? {})) {
      const rel = prefix === '' ? name : `${prefix}/${name}`
      if (child.files !== undefined) walk(child, rel)
      else files.set(rel, child.unpacked === true)
    }
  }
  walk(getRawHeader(archive).header as AsarEntry, '')
  return files
}

/** The packages a worker thread loads from an unpacked path: the package and its dependency closure. */
function dependencyClosure (names: string[]): string[] {
  const found = new Set<string>()
  const resolve = (name: string, from: string): string | undefined => {
    for (let dir = from; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name)
      if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate
      if (path.dirname(dir) === dir) return undefined
    }
  }
  const walk = (dir: string): void => {
    const rel = path.relative(root, dir).split(path.sep).join('/')
    if (found.has(rel)) return
    found.add(rel)
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>, optionalDependencies?: Record<string, string> }
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const resolved = resolve(dep, dir)
      if (resolved !== undefined) walk(resolved)
    }
  }
  for (const name of names) walk(path.join(root, 'node_modules', name))
  return [...found].sort()
}

/** The environment without vitest's variables: electron-builder stays silent when it sees VITEST. */
function builderEnv (): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')))
}

describe('packaging with electron-builder --dir', () => {
  let t: { dir: string, cleanup: () => void }
  let appDir: string
  let archive: string
  let files: Map<string, boolean>
  let log: string

  beforeAll(() => {
    for (const built of ['dist/src-main/electron/main.js', 'dist/src-main/electron/preload.cjs', 'dist/renderer/index.html', 'dist/services/keys.wasm', 'dist/aqua/relay']) {
      if (!fs.existsSync(path.join(root, built))) throw new Error(`${built} is missing: run \`npm run build\` first`)
    }
    t = tempDir('lineage-packaging-')
    const electronDist = path.join(t.dir, 'electron')
    fs.mkdirSync(path.join(electronDist, 'resources'), { recursive: true })
    fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in Electron for the packaging test"\n', { mode: 0o755 })
    const result = spawnSync(process.execPath, [
      path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux', 'dir', '--x64',
      '--config', 'electron-builder.yml',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${path.join(t.dir, 'out')}`,
    ], { cwd: root, encoding: 'utf8', env: { ...builderEnv(), ELECTRON_BUILDER_CACHE: path.join(t.dir, 'cache'), CSC_IDENTITY_AUTO_DISCOVERY: 'false' }, timeout: 280_000 })
    log = `${result.stdout}\n${result.stderr}`
    if (result.status !== 0) throw new Error(`electron-builder failed (${result.status ?? result.signal}):\n${log.slice(-4000)}`)
    appDir = path.join(t.dir, 'out', 'linux-unpacked')
    archive = path.join(appDir, 'resources', 'app.asar')
    files = asarFiles(archive)
  }, 300_000)
  afterAll(() => { t?.cleanup() })

  /** A file the runtime opens through Electron's asar support: listed in the asar, packed. */
  const packed = (file: string): void => {
    expect(files.get(file), `${file} should be packed in app.asar`).toBe(false)
  }
  /** A file a worker thread or the OS opens: marked unpacked, and really in app.asar.unpacked/. */
  const unpacked = (file: string): void => {
    expect(files.get(file), `${file} should be in app.asar, marked unpacked`).toBe(true)
    expect(fs.existsSync(path.join(appDir, 'resources', 'app.asar.unpacked', file)), `${file} should be in app.asar.unpacked/`).toBe(true)
  }

  it('made the app from the local Electron, rebuilding nothing and downloading nothing', () => {
    expect(log).toContain('using custom unpacked Electron distribution')
    expect(log).toContain('npmRebuild is set to false')
    expect(log).not.toMatch(/downloading/i)
    expect(fs.statSync(path.join(appDir, 'lineage-desktop')).mode & 0o111).not.toBe(0)
    expect(fs.existsSync(path.join(appDir, 'electron'))).toBe(false)
  })

  it('packs the main process, preload, UI and tray icons, with package.json naming the real entry', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'resources', 'app.asar.unpacked', 'package.json'), 'utf8')) as { main: string, type: string, name: string }
    expect(pkg).toMatchObject({ name: 'lineage-desktop', type: 'module', main: 'dist/src-main/electron/main.js' })
    unpacked('package.json')
    for (const file of [pkg.main, 'dist/src-main/electron/preload.cjs', 'dist/src-main/node/index.js', 'dist/src-main/api/index.js', 'dist/src-main/marine/sandbox.js', 'dist/renderer/index.html', 'build-resources/tray.png', 'build-resources/tray@2x.png', 'node_modules/@fluencelabs/js-client/package.json', 'node_modules/libp2p/package.json']) {
      expect(files.has(file), file).toBe(true)
    }
    packed('dist/renderer/index.html')
    packed('dist/src-main/electron/main.js')
  })

  it('unpacks the Marine sandbox worker, the file reader worker, the EVM signing worker, our Wasm services and the compiled Aqua', () => {
    unpacked('dist/src-main/marine/sandbox-worker.js')
    unpacked('dist/src-main/files/read-worker.js')
    // The signing worker imports the signing module by URL, and that module imports noble.
    unpacked('dist/src-main/lineage/keys/sign-worker.js')
    unpacked('dist/src-main/lineage/signing/personal-sign.js')
    unpacked('node_modules/@noble/curves/secp256k1.js')
    unpacked('node_modules/@noble/hashes/sha3.js')
    for (const service of ['keys', 'formatter', 'open', 'erc721', 'collab']) unpacked(`dist/services/${service}.wasm`)
    for (const file of fs.readdirSync(path.join(root, 'dist', 'aqua', 'relay'))) unpacked(`dist/aqua/relay/${file}`)
    for (const file of fs.readdirSync(path.join(root, 'dist', 'aqua', 'direct'))) unpacked(`dist/aqua/direct/${file}`)
  })

  it('unpacks marine-js and AquaVM wasm, the Marine worker and the whole closure it imports', () => {
    unpacked('node_modules/@fluencelabs/marine-js/dist/marine-js.wasm')
    unpacked('node_modules/@fluencelabs/avm/dist/avm.wasm')
    unpacked('node_modules/@fluencelabs/marine-worker/dist/index.js')
    unpacked('node_modules/@fluencelabs/threads/dist/master/implementation.node.js')
    const closure = dependencyClosure(['@fluencelabs/marine-worker', '@fluencelabs/marine-js'])
    expect(closure).toContain('node_modules/observable-fns')
    expect(closure.length).toBeGreaterThan(10)
    for (const dir of closure) unpacked(`${dir}/package.json`)
  })

  it('unpacks every native module, and ships no development packages or source maps', () => {
    unpacked('node_modules/better-sqlite3/prebuilds/linux-x64.node')
    unpacked('node_modules/better-sqlite3/lib/index.js')
    const natives = [...files.keys()].filter(f => f.endsWith('.node'))
    expect(natives.length).toBeGreaterThan(0)
    for (const file of natives) unpacked(file)
    for (const dev of ['electron', 'electron-builder', 'vitest', 'classic-level', 'helia', 'playwright-core']) {
      expect(files.has(`node_modules/${dev}/package.json`), `${dev} is a devDependency`).toBe(false)
    }
    expect([...files.keys()].filter(f => f.startsWith('dist/') && f.endsWith('.map'))).toEqual([])
  })
})
