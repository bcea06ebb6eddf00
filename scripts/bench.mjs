#!/usr/bin/env node
// `npm run bench [-- <name>…]`: builds, then runs each bench/*.bench.ts (or those whose file name
// contains one of the names) in its own vitest process, one after the other, so benchmarks never
// compete with each other for the cores. Every table a bench prints (a `### title` line followed
// by markdown table rows) is also written, dated and with the machine described, into that
// bench's block of docs/BENCHMARKS.md between the generated-section markers: the published
// tables are exactly what the benches printed. Environment variables the benches read (sizes,
// runs) pass through; `--no-record` leaves docs/BENCHMARKS.md alone.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { replaceBenchBlocks, tablesIn } from './bench-report.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const record = !args.includes('--no-record')
const names = args.filter(a => !a.startsWith('--'))
const benchDir = path.join(root, 'bench')
const files = fs.readdirSync(benchDir)
  .filter(f => f.endsWith('.bench.ts'))
  .filter(f => names.length === 0 || names.some(n => f.includes(path.basename(n))))
  .sort()
if (files.length === 0) {
  console.error(`No bench file matches ${names.join(', ')}; the files are: ${fs.readdirSync(benchDir).filter(f => f.endsWith('.bench.ts')).join(', ')}`)
  process.exit(2)
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

/** The machine, as a reader needs it to weigh the numbers. */
function machine () {
  const cpus = os.cpus()
  const gib = (os.totalmem() / 2 ** 30).toFixed(0)
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${gib} GiB, ${os.type()} ${os.release()}, Node ${process.versions.node}`
}

const load = () => os.loadavg()[0].toFixed(1)

/** Runs one bench file, echoing its output, and returns the output and exit status. */
async function runOne (file) {
  const child = spawn(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'bench', '--run', '--config', 'vitest.bench.config.ts', `bench/${file}`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', d => { process.stdout.write(d); out += d.toString() })
  child.stderr.on('data', d => { process.stderr.write(d); out += d.toString() })
  const status = await new Promise(resolve => { child.on('close', resolve) })
  return { out, status }
}

let failed = 0
const blocks = new Map()
for (const file of files) {
  const loadBefore = load()
  const startedAt = new Date()
  const { out, status } = await runOne(file)
  if (status !== 0) {
    failed++
    console.error(`\n${file} failed (exit ${status}); its tables are not recorded.`)
    continue
  }
  const tables = tablesIn(out)
  if (tables.length === 0) continue
  const when = startedAt.toISOString().slice(0, 16).replace('T', ' ')
  blocks.set(file, [
    `Measured ${when} UTC by \`npm run bench -- ${file.replace(/\.bench\.ts$/, '')}\` on ${machine()}; load average ${loadBefore} before, ${load()} after.`,
    '',
    ...tables,
  ].join('\n'))
}

if (record && blocks.size > 0) {
  const doc = path.join(root, 'docs', 'BENCHMARKS.md')
  fs.writeFileSync(doc, replaceBenchBlocks(fs.readFileSync(doc, 'utf8'), blocks))
  console.log(`\nRecorded ${[...blocks.keys()].join(', ')} in docs/BENCHMARKS.md.`)
}
process.exit(failed === 0 ? 0 : 1)
