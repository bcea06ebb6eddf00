// The creator's import as a person runs it (issue 17): `lineage-node keys new`, then
// `lineage-node import <folder> --chain --contract --key`, whole processes of the built CLI in
// dist/, with an EVM (secp256k1) key and an ed25519 key, with no node running (the command opens
// the data dir itself) and with a node running (the import runs inside it through JSON-RPC).
// Each prints wall time, CPU time (user + system) and peak RSS; with a node running, the work is
// the node's, so its CPU (read from /proc before and after) is added and its peak RSS shown.
// "loop" is the import itself: from the line naming the job (node open, key unlocked) to the end.
// Anchors, in the same run on the same files:
//  - SQLite, one transaction: a bare Node process that reads every file of the folder, parses it
//    and inserts it into a better-sqlite3 table (WAL, synchronous=FULL), all in one commit;
//  - OrbitDB 4 documents, one `put` per document (bench/helpers/orbitdb.ts).
// Then a steady-rate run (EVM key, no node running) over IMPORT_CLI_BENCH_STEADY files: the rate of
// the first 10% and of the last 10%, from the command's progress lines, and its CPU and peak RSS.
//
// IMPORT_CLI_BENCH_ITEMS (default 10000; 0 skips), IMPORT_CLI_BENCH_STEADY (default 100000; 0
// skips), IMPORT_CLI_BENCH_ORBITDB=0 skips OrbitDB. The 1,000,000-file run (about 20 minutes and
// 1 GB of files) is not part of `npm run bench`:
//   IMPORT_CLI_BENCH_ITEMS=0 IMPORT_CLI_BENCH_STEADY=1000000 npm run bench -- bench/import-cli.bench.ts
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { describe, expect, test } from 'vitest'
import { cliPath, repoRoot, startNodeProcess } from '../test/helpers/processes.js'
import { documentFor } from './documents.js'
import { collectGarbage, orbitdbRun } from './helpers/orbitdb.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const ITEMS = Number(process.env.IMPORT_CLI_BENCH_ITEMS ?? 10_000)
const STEADY = Number(process.env.IMPORT_CLI_BENCH_STEADY ?? 100_000)
const ORBITDB = process.env.IMPORT_CLI_BENCH_ORBITDB !== '0'
const ADDRESS = '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e'
const PASSPHRASE = 'a bench passphrase, long enough'
const ENV = { LINEAGE_PASSPHRASE: PASSPHRASE }
const CLOCK_TICKS = 100

interface Measured {
  name: string
  /** Whole process (or processes), seconds. */
  wall: number
  /** The import itself, seconds: from the job's first line to the end (the anchor: its own loop). */
  loop: number
  cpu: number
  rssMiB: number
  /** Progress lines as they arrived: seconds since the start, items done. */
  progress: Array<{ t: number, done: number }>
  stdout: string
}

/** One process under /usr/bin/time: wall, CPU, peak RSS, and each stdout line's arrival time. */
async function timed (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Omit<Measured, 'name' | 'loop'> & { lines: Array<{ t: number, line: string }> }> {
  const stats = path.join(os.tmpdir(), `lineage-import-cli-bench-${process.pid}.time`)
  const started = performance.now()
  const child = spawn('/usr/bin/time', ['-o', stats, '-f', '%U %S %M', process.execPath, ...args], { cwd: repoRoot, env: { ...process.env, ...env } })
  const lines: Array<{ t: number, line: string }> = []
  let stdout = ''
  let stderr = ''
  let partial = ''
  child.stdout.on('data', (d: Buffer) => {
    const t = (performance.now() - started) / 1000
    stdout += d.toString()
    partial += d.toString()
    const parts = partial.split('\n')
    partial = parts.pop() ?? ''
    for (const line of parts) lines.push({ t, line })
  })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const code = await new Promise<number | null>(resolve => { child.on('exit', resolve) })
  const wall = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${String(code)}:\n${stdout}\n${stderr}`)
  const [user, system, kb] = fs.readFileSync(stats, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? []
  fs.rmSync(stats, { force: true })
  const progress = lines.flatMap(({ t, line }) => {
    const m = /^imported (\d+)\//.exec(line)
    return m === null ? [] : [{ t, done: Number(m[1]) }]
  })
  return { wall, cpu: (user ?? 0) + (system ?? 0), rssMiB: (kb ?? 0) / 1024, progress, stdout, lines }
}

function procStats (pid: number): { cpu: number, rssMiB: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return {
    cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    rssMiB: Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
  }
}

function writeFolder (folder: string, items: number): void {
  fs.mkdirSync(folder, { recursive: true })
  for (let id = 1; id <= items; id++) fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(documentFor(id)))
}

/** The anchor: read, parse and insert every file in one SQLite transaction, in a bare process. */
async function sqliteOneTransaction (folder: string, database: string, items: number): Promise<Measured> {
  const script = `
    const fs = require('node:fs'), path = require('node:path')
    const started = performance.now()
    const db = new (require('better-sqlite3'))(${JSON.stringify(database)})
    db.pragma('journal_mode = WAL'); db.pragma('synchronous = FULL')
    db.exec('CREATE TABLE documents (token_id TEXT PRIMARY KEY, data TEXT NOT NULL)')
    const insert = db.prepare('INSERT INTO documents (token_id, data) VALUES (?, ?)')
    const dir = ${JSON.stringify(folder)}
    db.transaction(() => {
      for (const name of fs.readdirSync(dir)) insert.run(path.basename(name, '.json'), JSON.stringify(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))))
    })()
    const n = db.prepare('SELECT count(*) AS n FROM documents').get().n
    db.close()
    console.log('loop', (performance.now() - started) / 1000, n)`
  const run = await timed(['-e', script])
  const [, loop, n] = /^loop (\S+) (\d+)/m.exec(run.stdout) ?? []
  expect(Number(n)).toBe(items)
  return { name: 'anchor: SQLite, one transaction (bare Node process: read, parse, insert every file)', ...run, loop: Number(loop) }
}

/** `keys new` then `import`, whole processes, on a fresh data dir; with `running`, inside a node. */
async function creatorImport (work: string, folder: string, items: number, type: 'evm' | 'ed25519', running: boolean): Promise<{ keys: Measured, imported: Measured }> {
  const dataDir = fs.mkdtempSync(path.join(work, `node-${type}-${running ? 'running' : 'offline'}-`))
  const keysRun = await timed([cliPath, 'keys', 'new', 'bench', '--type', type, '--data-dir', dataDir], ENV)
  const keys: Measured = { name: `\`keys new --type ${type}\``, ...keysRun, loop: keysRun.wall }
  const node = running ? await startNodeProcess(['--data-dir', dataDir, '--offline', '--rpc-port', '0'], 120_000) : undefined
  try {
    const before = node === undefined ? undefined : procStats(node.child.pid ?? 0)
    const run = await timed([cliPath, 'import', folder, '--chain', '1', '--contract', ADDRESS, '--contract-id', 'erc721', '--key', 'bench', '--passphrase-env', 'LINEAGE_PASSPHRASE', '--data-dir', dataDir], ENV)
    const after = node === undefined ? undefined : procStats(node.child.pid ?? 0)
    expect(run.stdout).toContain(`Done: ${items} written, 0 already there, 0 rejected`)
    const jobLine = run.lines.find(l => l.line.startsWith('Import job '))
    const name = `\`import\` of ${items.toLocaleString('en-US')} files, ${type} key, ${running ? 'node running (RPC)' : 'no node running'}`
    const measured = { name, ...run, loop: run.wall - (jobLine?.t ?? 0) }
    if (before === undefined || after === undefined) return { keys, imported: measured }
    // The command only follows the job; the node does the work: its CPU is counted, its peak RSS shown.
    return { keys, imported: { ...measured, cpu: run.cpu + after.cpu - before.cpu, rssMiB: after.rssMiB } }
  } finally {
    if (node !== undefined) {
      node.child.kill('SIGTERM')
      await node.exited
    }
  }
}

/** Rate over the first and the last 10% of the items, from the progress lines. */
function steadiness (progress: Array<{ t: number, done: number }>, total: number): { first: number, last: number } {
  const start = progress[0] ?? { t: 0, done: 0 }
  const firstEnd = progress.find(p => p.done >= total * 0.1) ?? start
  const lastStart = [...progress].reverse().find(p => p.done <= total * 0.9) ?? start
  const end = progress.at(-1) ?? start
  return {
    first: (firstEnd.done - start.done) / (firstEnd.t - start.t),
    last: (end.done - lastStart.done) / (end.t - lastStart.t),
  }
}

const asCase = (m: Measured, items: number): MeasuredCase => ({ name: m.name, latency: { mean: m.wall * 1000 / items, p99: Number.NaN }, throughput: { mean: items / m.wall } })

describe('import, the creator\'s path', () => {
  const parts = [
    ...(ITEMS > 0 ? [`keys new + import of ${ITEMS.toLocaleString('en-US')} files, whole processes, next to SQLite${ORBITDB ? ' and OrbitDB' : ''}`] : []),
    ...(STEADY > 0 ? [`steady rate at ${STEADY.toLocaleString('en-US')} files`] : []),
  ]
  test(parts.join('; '), async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-import-cli-bench-'))
    const s = (v: number): string => `${v.toFixed(2)} s`
    try {
      if (ITEMS > 0) {
        const folder = path.join(work, 'collection')
        writeFolder(folder, ITEMS)
        const orbit = ORBITDB ? await orbitdbRun(work, ITEMS) : undefined
        collectGarbage()
        const sqlite = await sqliteOneTransaction(folder, path.join(work, 'anchor.db'), ITEMS)
        const rows: Measured[] = []
        for (const type of ['evm', 'ed25519'] as const) {
          for (const running of [false, true]) {
            const { keys, imported } = await creatorImport(work, folder, ITEMS, type, running)
            if (!running) rows.push(keys)
            rows.push(imported)
          }
        }
        const imports = rows.filter(r => r.name.startsWith('`import`'))
        reportRatios(`\`lineage-node import\` of ${ITEMS.toLocaleString('en-US')} files, whole process (time per file)`, asCase(sqlite, ITEMS), imports.map(r => asCase(r, ITEMS)))
        console.log([
          `### The creator's import, whole processes, ${ITEMS.toLocaleString('en-US')} files (${os.availableParallelism()} cores)`,
          '',
          '| case | wall | loop | loop vs SQLite | vs OrbitDB (speed) | CPU | peak RSS |',
          '|---|---:|---:|---:|---:|---:|---:|',
          ...(orbit === undefined ? [] : [`| anchor: ${orbit.name}, in the bench process | ${s((orbit.totalMs + orbit.setupMs) / 1000)} | ${s(orbit.totalMs / 1000)} | | 1× | | |`]),
          `| ${sqlite.name} | ${s(sqlite.wall)} | ${s(sqlite.loop)} | 1× | | ${s(sqlite.cpu)} | ${sqlite.rssMiB.toFixed(0)} MiB |`,
          ...rows.map(r => {
            const isImport = r.name.startsWith('`import`')
            const vsOrbit = orbit === undefined || !isImport ? '' : `${(orbit.totalMs / 1000 / r.wall).toFixed(1)}×`
            return `| ${r.name} | ${s(r.wall)} | ${isImport ? s(r.loop) : ''} | ${isImport ? `${(r.loop / sqlite.loop).toFixed(1)}×` : ''} | ${vsOrbit} | ${s(r.cpu)} | ${r.rssMiB.toFixed(0)} MiB |`
          }),
          '',
          'With a node running, CPU is the command\'s plus what the node spent meanwhile, and peak RSS is the node\'s (since it started).',
          '',
        ].join('\n'))
        fs.rmSync(folder, { recursive: true, force: true })
      }
      if (STEADY > 0) {
        const folder = path.join(work, 'steady')
        writeFolder(folder, STEADY)
        const sqlite = await sqliteOneTransaction(folder, path.join(work, 'steady-anchor.db'), STEADY)
        const { imported } = await creatorImport(work, folder, STEADY, 'evm', false)
        const { first, last } = steadiness(imported.progress, STEADY)
        console.log([
          `### Steady rate: \`import\` of ${STEADY.toLocaleString('en-US')} files, EVM key, no node running`,
          '',
          '| case | wall | loop | files/s | first 10% | last 10% | last / first | CPU per file | peak RSS |',
          '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
          `| ${sqlite.name} | ${s(sqlite.wall)} | ${s(sqlite.loop)} | ${Math.round(STEADY / sqlite.loop).toLocaleString('en-US')} | | | | ${(sqlite.cpu * 1000 / STEADY).toFixed(3)} ms | ${sqlite.rssMiB.toFixed(0)} MiB |`,
          `| ${imported.name} | ${s(imported.wall)} | ${s(imported.loop)} | ${Math.round(STEADY / imported.loop).toLocaleString('en-US')} | ${Math.round(first).toLocaleString('en-US')}/s | ${Math.round(last).toLocaleString('en-US')}/s | ${(last / first).toFixed(2)} | ${(imported.cpu * 1000 / STEADY).toFixed(3)} ms | ${imported.rssMiB.toFixed(0)} MiB |`,
          '',
        ].join('\n'))
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  }, 4 * 60 * 60_000)
})
