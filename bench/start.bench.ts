// Start time as a person sees it, whole processes (issue 17): `lineage-node --help`,
// `lineage-node status` (with a node running and with none), and `lineage-node start` until the
// node first answers `node_info` and the gateway first answers `/metadata` (200 when the token
// exists; any answer on an empty node), on an empty data dir and on a node holding N tokens.
// Anchors, measured in the same run: a bare Node process (`node -e ''`) and a bare process that
// opens a SQLite database with better-sqlite3 and runs one query. Wall time of each, its CPU time
// (user + system) and peak RSS: /usr/bin/time for short commands, /proc for the node, read at
// its first gateway answer. N from START_BENCH_TOKENS (default 0,10000, and 100,000 when prepared), runs from START_BENCH_RUNS;
// START_BENCH_CLI runs another checkout's bin/lineage-node.js (to compare with an older build);
// START_BENCH_PREPARED=<N>=<data dir>[,…] copies a prepared data dir holding N tokens (left as it
// is) instead of importing N files. The node answers node_info while it is still starting (state
// "starting"): the row says which state its first answer gave.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { describe, expect, test } from 'vitest'
import { cliPath, repoRoot, startNodeProcess } from '../test/helpers/processes.js'
import { documentFor } from './documents.js'

const RUNS = Number(process.env.START_BENCH_RUNS ?? 5)
const CLI = process.env.START_BENCH_CLI ?? cliPath
const PREPARED = new Map((process.env.START_BENCH_PREPARED ?? '').split(',').filter(e => e !== '').map(e => {
  const at = e.indexOf('=')
  return [Number(e.slice(0, at)), e.slice(at + 1)] as const
}))
// The 100,000-token data dir bench/gateway-scale.bench.ts prepares (it runs first in `npm run
// bench`) is used when no other is named, so a whole run measures the start at 100,000 tokens too.
const GATEWAY_SCALE_PREPARED = path.join(os.tmpdir(), 'lineage-gateway-scale-100000')
if (process.env.START_BENCH_PREPARED === undefined && fs.existsSync(path.join(GATEWAY_SCALE_PREPARED, 'ready'))) {
  PREPARED.set(100_000, path.join(GATEWAY_SCALE_PREPARED, 'node'))
}
const SIZES = (process.env.START_BENCH_TOKENS ?? ['0', '10000', ...PREPARED.keys()].join(',')).split(',').map(Number)
const ADDRESS = '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e'
const PASSPHRASE = 'a bench passphrase, long enough'
const POLL_MS = 5
const CLOCK_TICKS = 100

interface Measured { wall: number, cpu: number, rssMiB: number }

async function exitOf (child: ReturnType<typeof spawn>): Promise<{ code: number | null, out: string }> {
  let out = ''
  child.stdout?.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { out += d.toString() })
  const code = await new Promise<number | null>(resolve => { child.on('exit', resolve) })
  return { code, out }
}

/** One short process under /usr/bin/time: wall time, CPU seconds, peak RSS. */
async function timed (args: string[], expectCode = 0, env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const stats = path.join(os.tmpdir(), `lineage-start-bench-${process.pid}.time`)
  const started = performance.now()
  const { code, out } = await exitOf(spawn('/usr/bin/time', ['-o', stats, '-f', '%U %S %M', process.execPath, ...args], { cwd: repoRoot, env: { ...process.env, ...env } }))
  const wall = (performance.now() - started) / 1000
  if (code !== expectCode) throw new Error(`${args.join(' ')} exited with ${String(code)}:\n${out}`)
  const [user, system, kb] = fs.readFileSync(stats, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? []
  fs.rmSync(stats, { force: true })
  return { wall, cpu: (user ?? 0) + (system ?? 0), rssMiB: (kb ?? 0) / 1024 }
}

async function freePort (): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>(resolve => { server.close(() => { resolve() }) })
  return port
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** Polls `probe` until it answers true; a refused connection (nothing listening yet) is a no. */
async function until (probe: () => Promise<boolean>, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs
  for (;;) {
    try { if (await probe()) return } catch { /* not listening yet */ }
    if (performance.now() > deadline) throw new Error(`no answer in ${limitMs} ms`)
    await sleep(POLL_MS)
  }
}

function procStats (pid: number): { cpu: number, rssMiB: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const cpu = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  const rssMiB = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
  return { cpu, rssMiB }
}

/** Spawns `lineage-node start` and times its first node_info and first gateway answer. */
async function startToAnswers (dataDir: string, tokens: number): Promise<{ nodeInfo: number, state: string, gateway: Measured }> {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const started = performance.now()
  const child = spawn(process.execPath, [CLI, 'start', '--data-dir', dataDir, '--rpc-port', String(port), '--p2p-port', '0', '--p2p-host', '127.0.0.1'], { env: process.env })
  const exited = exitOf(child)
  try {
    // node_info needs the API token, which a first start writes to the data dir.
    const tokenFile = path.join(dataDir, 'api-token')
    let state = ''
    await until(async () => {
      const token = fs.readFileSync(tokenFile, 'utf8').trim()
      const response = await fetch(`${base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info' }) })
      const body = await response.json() as { result?: { state?: string } }
      state = body.result?.state ?? ''
      return response.status === 200 && body.result !== undefined
    }, 120_000)
    const nodeInfo = (performance.now() - started) / 1000
    // Token 1 when the collection holds any; on an empty node any answer of the gateway counts.
    await until(async () => {
      const response = await fetch(`${base}/metadata/1/${ADDRESS}/1`)
      await response.arrayBuffer()
      return tokens === 0 ? response.status === 404 : response.status === 200
    }, 120_000)
    const wall = (performance.now() - started) / 1000
    const measured = { nodeInfo, state, gateway: { wall, ...procStats(child.pid ?? 0) } }
    child.kill('SIGTERM')
    const { code, out } = await exited
    if (code !== 0) throw new Error(`lineage-node start exited with ${String(code)}:\n${out}`)
    return measured
  } catch (err) {
    child.kill('SIGKILL')
    await exited
    throw err
  }
}

/** A data dir holding `tokens` tokens of one erc721 collection, imported through the CLI. */
async function dataDirWith (work: string, tokens: number): Promise<string> {
  const dataDir = path.join(work, `node-${tokens}`)
  if (tokens === 0) return dataDir
  const prepared = PREPARED.get(tokens)
  if (prepared !== undefined) {
    fs.cpSync(prepared, dataDir, { recursive: true, preserveTimestamps: true })
    return dataDir
  }
  const folder = path.join(work, `collection-${tokens}`)
  fs.mkdirSync(folder, { recursive: true })
  for (let id = 1; id <= tokens; id++) fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(documentFor(id)))
  const env = { LINEAGE_PASSPHRASE: PASSPHRASE }
  await timed([CLI, 'keys', 'new', 'bench', '--type', 'ed25519', '--data-dir', dataDir], 0, env)
  const node = await startNodeProcess(['--data-dir', dataDir, '--offline', '--rpc-port', '0'], 120_000, [], CLI)
  try {
    await timed([CLI, 'import', folder, '--chain', '1', '--contract', ADDRESS, '--contract-id', 'erc721', '--key', 'bench', '--data-dir', dataDir], 0, env)
  } finally {
    node.child.kill('SIGTERM')
    await node.exited
  }
  return dataDir
}

const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length

describe('start time', () => {
  test(`lineage-node --help, status, and start → first node_info and gateway answer at ${SIZES.map(n => n.toLocaleString('en-US')).join(' and ')} tokens`, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-start-bench-'))
    const rows: Array<{ name: string, runs: Measured[] }> = []
    const row = (name: string): Measured[] => { const runs: Measured[] = []; rows.push({ name, runs }); return runs }
    try {
      const database = path.join(work, 'anchor.db')
      const bare = row('anchor: `node -e \'\'`, a bare Node process')
      const sqlite = row('better-sqlite3: open a database, one query, in a bare process')
      const help = row('`lineage-node --help`')
      const statusNone = row('`lineage-node status`, no node running')
      const statusRunning = row('`lineage-node status`, node running')
      const sqliteScript = `const db = new (require('better-sqlite3'))(${JSON.stringify(database)}); db.exec('create table if not exists t (x)'); db.prepare('select count(*) from t').get(); db.close()`
      const emptyDir = path.join(work, 'empty')
      fs.mkdirSync(emptyDir)
      for (let i = 0; i < RUNS; i++) {
        bare.push(await timed(['-e', '']))
        sqlite.push(await timed(['-e', sqliteScript]))
        help.push(await timed([CLI, '--help']))
        statusNone.push(await timed([CLI, 'status', '--data-dir', emptyDir], 1))
      }
      const runningDir = path.join(work, 'running')
      const running = await startNodeProcess(['--data-dir', runningDir, '--offline', '--rpc-port', '0'], 120_000, [], CLI)
      try {
        for (let i = 0; i < RUNS; i++) statusRunning.push(await timed([CLI, 'status', '--data-dir', runningDir]))
      } finally {
        running.child.kill('SIGTERM')
        await running.exited
      }
      for (const tokens of SIZES) {
        const dataDir = await dataDirWith(work, tokens)
        const label = tokens === 0 ? 'an empty data dir (first start)' : `${tokens.toLocaleString('en-US')} tokens`
        const toInfo = row(`\`lineage-node start\` → first \`node_info\`, ${label}`)
        const states = new Set<string>()
        const toGateway = row(`\`lineage-node start\` → first gateway answer, ${label}`)
        for (let i = 0; i < RUNS; i++) {
          // An empty data dir is made anew each time: its first start creates the identity and database.
          const dir = tokens === 0 ? path.join(work, `first-${i}`) : dataDir
          const { nodeInfo, state, gateway } = await startToAnswers(dir, tokens)
          states.add(state)
          expect(nodeInfo).toBeLessThanOrEqual(gateway.wall)
          toInfo.push({ wall: nodeInfo, cpu: Number.NaN, rssMiB: Number.NaN })
          toGateway.push(gateway)
        }
        const infoRow = rows.find(r => r.runs === toInfo)
        if (infoRow !== undefined) infoRow.name += ` (answered as ${[...states].join(', ')})`
      }
      const anchor = mean(bare.map(r => r.wall))
      const show = (v: number, unit: string, digits: number): string => Number.isNaN(v) ? '' : `${v.toFixed(digits)} ${unit}`
      console.log([
        '',
        `### Start time, whole processes (mean of ${RUNS}; ratio to a bare \`node -e ''\`)`,
        '',
        '| case | wall | vs `node -e \'\'` | CPU | peak RSS |',
        '|---|---:|---:|---:|---:|',
        ...rows.map(({ name, runs }) => {
          const wall = mean(runs.map(r => r.wall))
          return `| ${name} | ${wall.toFixed(3)} s | ${(wall / anchor).toFixed(2)}× | ${show(mean(runs.map(r => r.cpu)), 's', 2)} | ${show(mean(runs.map(r => r.rssMiB)), 'MiB', 0)} |`
        }),
        '',
      ].join('\n'))
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  }, 60 * 60_000)
})
