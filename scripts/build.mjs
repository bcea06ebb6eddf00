#!/usr/bin/env node
// `npm run build`: everything the app runs, from source, into dist/. Each step says what it does
// and how long it took, so a slow or failing step is obvious in CI logs.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { installNote } from './install-note.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

// Run as `prepare` by `npm install`: one line about Node versions instead of npm's warnings.
const note = installNote({ userAgent: process.env.npm_config_user_agent, lifecycle: process.env.npm_lifecycle_event, runningNode: process.versions.node, root })
if (note !== null) (note.level === 'error' ? console.error : console.log)(note.text)
const bin = name => path.join(root, 'node_modules', '.bin', name)

function run (label, command, args) {
  const started = Date.now()
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`build: ${label} failed`)
    process.exit(result.status ?? 1)
  }
  console.log(`build: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}

async function step (label, fn) {
  const started = Date.now()
  try {
    await fn()
  } catch (err) {
    console.error(`build: ${label} failed: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  }
  console.log(`build: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}

const steps = new Set(process.argv.slice(2))
const want = name => steps.size === 0 || steps.has(name)

if (want('main')) run('main process (tsc)', process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'])

if (want('services')) {
  await step('Marine services (AssemblyScript)', async () => {
    const { buildAllServices } = await import(path.join(root, 'dist', 'services', 'toolchain', 'builder', 'index.js'))
    const built = await buildAllServices(path.join(root, 'dist', 'services'))
    console.log(`build: ${built.length} services → dist/services/`)
  })
}

if (want('aqua')) {
  await step('Aqua', async () => {
    // aqua-api's bundled compiler uses Node's deprecated punycode module; the warning is not ours to fix.
    process.noDeprecation = true
    const { compileFromPath } = await import('@fluencelabs/aqua-api')
    const outDir = path.join(root, 'dist', 'aqua')
    // Two variants: `relay` (calls go through the caller's relay, as stock clients need) and
    // `direct` (noRelay: a node calling a peer it is connected to, no relay hops).
    const variants = [['relay', false], ['direct', true]]
    for (const [variant] of variants) fs.mkdirSync(path.join(outDir, variant), { recursive: true })
    for (const file of fs.readdirSync(path.join(root, 'aqua')).filter(f => f.endsWith('.aqua'))) {
      const filePath = path.join(root, 'aqua', file)
      const name = path.basename(file, '.aqua')
      for (const [variant, noRelay] of variants) {
        // 'js' gives the generated client code; 'air' gives the definitions and AIR scripts.
        const js = await compileFromPath({ filePath, targetType: 'js', noRelay })
        const air = await compileFromPath({ filePath, targetType: 'air', noRelay })
        const errors = [...js.errors, ...air.errors]
        if (errors.length > 0) throw new Error(`${file}:\n${errors.join('\n')}`)
        // An Aqua file that exports nothing compiles to nothing, silently: treat that as an error.
        if (Object.keys(air.functions).length === 0) throw new Error(`${file} exports no functions (add an \`export\` line)`)
        const dir = path.join(outDir, variant)
        fs.writeFileSync(path.join(dir, `${name}.js`), js.generatedSources.map(s => s.jsSource ?? '').join('\n'))
        const manifest = {
          services: Object.keys(air.services),
          functions: Object.fromEntries(Object.entries(air.functions).map(([fn, def]) => [fn, def.script])),
        }
        fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(manifest, null, 2) + '\n')
      }
    }
  })
}

if (want('renderer')) run('renderer (vite)', process.execPath, [bin('vite'), 'build', '--config', 'src-renderer/vite.config.ts', '--logLevel', 'warn'])
