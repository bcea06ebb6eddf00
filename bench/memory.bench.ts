// Resident memory of `lineage-node start` as a creator runs it (issue 17): an idle node, empty
// and holding 10,000 tokens, and a node serving 100,000 tokens under gateway load (random ids,
// 32 connections, 10 s). Anchors in the same run: a bare Node process, and a bare node:http
// server answering the same reads from the same SQLite file with better-sqlite3. RSS and peak
// RSS from /proc/<pid>/status, read once the node's start-up work is done (its CPU quiet) and
// IDLE_MS more have passed (idle: V8 gives back the heap that work grew some seconds after it
// ends), or right after the load. The peak column keeps what the start-up work took.
// Reported, not asserted: docs/BENCHMARKS.md ("Where memory goes") explains the parts.
// MEMORY_BENCH_CLI runs another checkout's bin/lineage-node.js (a before/after);
// MEMORY_BENCH_NODE_OPTIONS passes Node options to the measured node alone.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { describe, expect, test } from 'vitest'
import { cliPath, repoRoot, startNodeProcess } from '../test/helpers/processes.js'
import { TEST_NODE_ARGS } from '../test/helpers/node-config.js'
import { documentFor } from './documents.js'
import { idle } from './helpers/idle.js'

const CLI = process.env.MEMORY_BENCH_CLI ?? cliPath
const ADDRESS = '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e'
const PASSPHRASE = 'a bench passphrase, long enough'
/** Prepared by bench/gateway-scale.bench.ts; copied, never changed. */
const PREPARED_100K = path.join(os.tmpdir(), 'lineage-gateway-scale-100000', 'node')
const SMALL_TOKENS = 10_000
const LOADED_TOKENS = 100_000
const IDLE_MS = 20_000
const CONNECTIONS = 32
const DURATION_S = 10

/** The anchor server: the kept documents of the same database, one indexed read (and inflate) a request. */
const SQLITE_SERVER = `
const http = require('node:http')
const zlib = require('node:zlib')
const Database = require('better-sqlite3')
const db = new Database(process.argv[1], { readonly: true })
const tokenKey = db.prepare('SELECT token_key FROM document_dictionaries LIMIT 1').pluck().get()
const read = db.prepare('SELECT d.etag, d.body, x.bytes AS dictionary FROM document_dictionaries x JOIN token_documents d ON d.dictionary = x.id WHERE x.token_key = ? AND d.token_id = ?')
const server = http.createServer((request, response) => {
  const row = read.get(tokenKey, request.url.slice(request.url.lastIndexOf('/') + 1))
  if (row === undefined) { response.writeHead(404).end(); return }
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', etag: row.etag })
  response.end(zlib.inflateRawSync(row.body, { dictionary: row.dictionary }))
})
server.listen(0, '127.0.0.1', () => { process.stdout.write('listening http://127.0.0.1:' + server.address().port + '\\n') })
process.on('SIGTERM', () => { process.exit(0) })
`

interface Memory { rss: number, peak: number }

/** Resident and peak resident memory of a process, in MiB. */
function memory (pid: number | undefined): Memory {
  const status = fs.readFileSync(`/proc/${pid ?? 0}/status`, 'utf8')
  const kib = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 }
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** Starts a Node script and waits for the line that gives its URL (or readiness). */
async function startScript (args: string[], pattern: RegExp): Promise<{ child: ChildProcess, url: string, exited: Promise<number | null> }> {
  const child = spawn(process.execPath, args, { cwd: repoRoot })
  let out = ''
  const exited = new Promise<number | null>(resolve => { child.on('exit', code => { resolve(code) }) })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no ${String(pattern)} in 30 s:\n${out}`)) }, 30_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const match = pattern.exec(out)
      if (match !== null) { clearTimeout(timer); resolve(match[1] ?? '') }
    })
    child.stderr?.on('data', (d: Buffer) => { out += d.toString() })
    void exited.then(code => { reject(new Error(`exited with ${String(code)}:\n${out}`)) })
  })
  return { child, url, exited }
}

async function stop (p: { child: ChildProcess, exited: Promise<number | null> }): Promise<void> {
  p.child.kill('SIGTERM')
  await p.exited
}

/** Random ids over the collection for DURATION_S; every answer must be a 200. */
async function load (base: string, tokens: number): Promise<number> {
  const url = (id: number): string => `${base}/metadata/1/${ADDRESS}/${id}`
  const result = await autocannon({
    url: url(1),
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [{ setupRequest: request => ({ ...request, path: new URL(url(1 + Math.floor(Math.random() * tokens))).pathname }) }],
  })
  expect(result.errors + result.non2xx, JSON.stringify(result.statusCodeStats)).toBe(0)
  return result.requests.average
}

/** The measured node, started with MEMORY_BENCH_NODE_OPTIONS when given. */
async function startNode (dataDir: string): Promise<Awaited<ReturnType<typeof startNodeProcess>>> {
  const options = process.env.MEMORY_BENCH_NODE_OPTIONS
  const before = process.env.NODE_OPTIONS
  if (options !== undefined) process.env.NODE_OPTIONS = options
  try {
    return await startNodeProcess(['--data-dir', dataDir, ...TEST_NODE_ARGS], 120_000, [], CLI)
  } finally {
    if (options !== undefined) {
      if (before === undefined) delete process.env.NODE_OPTIONS
      else process.env.NODE_OPTIONS = before
    }
  }
}

/** A data dir holding `tokens` tokens of one erc721 collection, imported through the CLI as a creator does. */
async function dataDirWith (work: string, tokens: number): Promise<string> {
  const dataDir = path.join(work, `node-${tokens}`)
  const folder = path.join(work, `collection-${tokens}`)
  fs.mkdirSync(folder, { recursive: true })
  for (let id = 1; id <= tokens; id++) fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(documentFor(id)))
  const env = { ...process.env, LINEAGE_PASSPHRASE: PASSPHRASE }
  const run = async (args: string[]): Promise<void> => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'ignore' })
    expect(await new Promise(resolve => { child.on('exit', resolve) })).toBe(0)
  }
  await run(['keys', 'new', 'bench', '--type', 'ed25519', '--data-dir', dataDir])
  await run(['import', folder, '--chain', '1', '--contract', ADDRESS, '--contract-id', 'erc721', '--key', 'bench', '--data-dir', dataDir])
  fs.rmSync(folder, { recursive: true, force: true })
  return dataDir
}

describe('memory of a running node', () => {
  test(`RSS: idle (empty, ${SMALL_TOKENS.toLocaleString('en-US')} tokens) and serving ${LOADED_TOKENS.toLocaleString('en-US')} tokens under load, next to a bare Node process and a bare node:http + better-sqlite3 server`, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-memory-bench-'))
    const rows: Array<[string, Memory, string]> = []
    try {
      const bare = await startScript(['-e', "process.stdout.write('ready\\n'); setInterval(() => {}, 1000)"], /(ready)/)
      await sleep(IDLE_MS)
      rows.push(['bare Node process (anchor)', memory(bare.child.pid), 'idle'])
      await stop(bare)

      const empty = await startNode(path.join(work, 'empty'))
      await idle(empty.child.pid)
      await sleep(IDLE_MS)
      rows.push(['lineage-node start, empty data dir', memory(empty.child.pid), 'idle'])
      await stop({ child: empty.child, exited: empty.exited })

      const small = await dataDirWith(work, SMALL_TOKENS)
      const smallNode = await startNode(small)
      console.log(`${SMALL_TOKENS} tokens: the first start's work done ${(await idle(smallNode.child.pid)).toFixed(0)} s after the URL`)
      await sleep(IDLE_MS)
      rows.push([`lineage-node start, ${SMALL_TOKENS.toLocaleString('en-US')} tokens`, memory(smallNode.child.pid), 'idle'])
      await stop({ child: smallNode.child, exited: smallNode.exited })

      if (!fs.existsSync(PREPARED_100K)) {
        console.log(`no prepared ${LOADED_TOKENS}-token data dir at ${PREPARED_100K}: run bench/gateway-scale.bench.ts once to make it`)
      } else {
        const big = path.join(work, 'node-100k')
        fs.cpSync(PREPARED_100K, big, { recursive: true })
        const database = path.join(big, 'lineage.sqlite')
        const anchor = await startScript(['-e', SQLITE_SERVER, database], /listening (\S+)/)
        const anchorRate = await load(anchor.url, LOADED_TOKENS)
        rows.push(['node:http + better-sqlite3, same reads (anchor)', memory(anchor.child.pid), `${Math.round(anchorRate)} req/s`])
        await stop(anchor)

        // A first start brings the copy to this build's schema and ends its one-time work (a store
        // made before the browse index has it built in the background); the measured node restarts.
        const first = await startNode(big)
        console.log(`first start: idle ${(await idle(first.child.pid)).toFixed(0)} s after it printed its URL`)
        await stop({ child: first.child, exited: first.exited })
        const bigNode = await startNode(big)
        rows.push([`lineage-node start, ${LOADED_TOKENS.toLocaleString('en-US')} tokens, before the load`, memory(bigNode.child.pid), 'just started'])
        const rate = await load(bigNode.url, LOADED_TOKENS)
        rows.push([`lineage-node start, ${LOADED_TOKENS.toLocaleString('en-US')} tokens, gateway under load`, memory(bigNode.child.pid), `${Math.round(rate)} req/s`])
        await stop({ child: bigNode.child, exited: bigNode.exited })
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
    // The anchors' RSS is what a bare process (and a bare server doing the same reads) costs here.
    const bare = rows[0]?.[1].rss ?? 1
    console.log([
      '',
      `### Resident memory of \`lineage-node start\` (MiB; idle = read ${IDLE_MS / 1000} s after the start-up work ended, load = ${CONNECTIONS} connections for ${DURATION_S} s)`,
      '',
      '| process | RSS | peak | vs a bare Node process | what |',
      '|---|---:|---:|---:|---|',
      ...rows.map(([name, m, what]) => `| ${name} | ${m.rss.toFixed(0)} | ${m.peak.toFixed(0)} | ${(m.rss / bare).toFixed(2)}× | ${what} |`),
      '',
    ].join('\n'))
  }, 600_000)
})
