// tokenURI reads at scale: random ids over a 100,000-token collection (LINEAGE_BENCH_TOKENS sets
// another size), more documents than the gateway keeps in memory. Anchor: a plain node:http
// server in its own process serving the very same bytes (read from the node's kept documents)
// from a Map. autocannon, 32 connections, 10 s each, one run after the other. The node is measured
// right after a restart, then again in the same process; its RSS is read from /proc after each.
//
// The collection is imported and formatted once (minutes at this size) into a data dir under the
// system temp dir that later runs reuse: each run copies it. LINEAGE_BENCH_CLI runs another build
// of `lineage-node` (e.g. an older checkout's bin/lineage-node.js, for a before/after), and
// LINEAGE_BENCH_CPU_PROF=<dir> writes the node's CPU profile there when it stops;
// LINEAGE_BENCH_NODE_OPTIONS passes Node options to the node alone (e.g. --max-old-space-size=128).
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createLineageNode } from '../src-main/node/index.js'
import { createStore } from '../src-main/store/index.js'
import { keptDocuments } from '../test/helpers/kept-documents.js'
import { cliPath } from '../test/helpers/processes.js'
import { testLog, testLogger } from '../test/helpers/logger.js'
import { TEST_NODE_ARGS, testNodeConfig } from '../test/helpers/node-config.js'
import { documentFor } from './documents.js'
import { fullImport } from './full-import.js'
import { idle } from './helpers/idle.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const TOKENS = Number(process.env.LINEAGE_BENCH_TOKENS ?? 100_000)
const CONNECTIONS = 32
const DURATION_S = 10
const ADDRESS = '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e'
const PREPARED = path.join(os.tmpdir(), `lineage-gateway-scale-${TOKENS}`)
const CLI = process.env.LINEAGE_BENCH_CLI ?? cliPath

/** The anchor: the same bytes and headers from a Map, nothing else. */
const ANCHOR_SERVER = `
import fs from 'node:fs'
import http from 'node:http'
const documents = new Map()
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\\n')) {
  if (line === '') continue
  const { id, etag, json } = JSON.parse(line)
  documents.set(id, { etag, body: Buffer.from(json) })
}
const server = http.createServer((request, response) => {
  const document = documents.get(request.url.slice(request.url.lastIndexOf('/') + 1))
  if (document === undefined) { response.writeHead(404).end(); return }
  response.writeHead(200, { 'cache-control': 'public, max-age=0, must-revalidate', 'access-control-allow-origin': '*', 'content-type': 'application/json; charset=utf-8', etag: document.etag })
  response.end(document.body)
})
server.listen(0, '127.0.0.1', () => { process.stdout.write('listening ' + server.address().port + '\\n') })
process.on('SIGTERM', () => { process.exit(0) })
`

interface Process { child: ChildProcess, url: string, exited: Promise<number | null> }

/** Starts a command and waits for the line that gives its URL. */
async function startProcess (args: string[], pattern: RegExp, env: NodeJS.ProcessEnv = process.env): Promise<Process> {
  const child = spawn(process.execPath, args, { env })
  let out = ''
  const exited = new Promise<number | null>(resolve => { child.on('exit', code => { resolve(code) }) })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no ${String(pattern)} in 60 s:\n${out}`)) }, 60_000)
    const look = (d: Buffer): void => {
      out += d.toString()
      const match = pattern.exec(out)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', look)
    child.stderr?.on('data', (d: Buffer) => { out += d.toString() })
    void exited.then(code => { reject(new Error(`exited with ${String(code)}:\n${out}`)) })
  })
  return { child, url, exited }
}

/** Resident and peak resident memory of a process, in MiB. */
function memory (pid: number | undefined): { rss: number, peak: number } {
  const status = fs.readFileSync(`/proc/${pid ?? 0}/status`, 'utf8')
  const kib = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 }
}

async function load (url: (id: number) => string): Promise<MeasuredCase & { errors: number, non2xx: number }> {
  const result = await autocannon({
    url: url(1),
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [{ setupRequest: request => ({ ...request, path: new URL(url(1 + Math.floor(Math.random() * TOKENS))).pathname }) }],
  })
  return { name: '', latency: { mean: result.latency.average, p99: result.latency.p99 }, throughput: { mean: result.requests.average }, errors: result.errors, non2xx: result.non2xx }
}

/** Lets a node format and keep every document the store lacks, as a first start does. */
async function keepEveryDocument (): Promise<void> {
  const node = createLineageNode(testNodeConfig(path.join(PREPARED, 'node'), { offline: true }), { logger: testLogger })
  await node.start()
  await node.api.gatewaySettled()
  await node.stop()
}

/** Imports the collection (ids 1…TOKENS) and lets a node format and keep every document, once. */
async function prepare (): Promise<void> {
  if (fs.existsSync(path.join(PREPARED, 'ready'))) {
    // Brought to the latest schema once here, not by every run's node; a migration that dropped
    // the kept documents (they are memos) has them made again here too.
    const store = createStore({ log: testLog }, { dataDir: path.join(PREPARED, 'node') })
    store.start()
    const kept = store.db.prepare('SELECT count(*) FROM token_documents').pluck().get() as number
    store.stop()
    if (kept < TOKENS) await keepEveryDocument()
    return
  }
  fs.rmSync(PREPARED, { recursive: true, force: true })
  fs.mkdirSync(PREPARED, { recursive: true })
  await fullImport(PREPARED, Array.from({ length: TOKENS }, (_, i) => JSON.stringify(documentFor(i + 1))))
  fs.rmSync(path.join(PREPARED, 'collection'), { recursive: true, force: true })
  await keepEveryDocument()
  fs.writeFileSync(path.join(PREPARED, 'ready'), '')
}

describe(`gateway tokenURI reads over ${TOKENS} tokens`, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-gateway-scale-run-'))
  const running: Process[] = []

  beforeAll(async () => { await prepare() }, 3_600_000)

  afterAll(async () => {
    for (const p of running) {
      p.child.kill('SIGTERM')
      await p.exited
    }
    fs.rmSync(work, { recursive: true, force: true })
  })

  test('random ids: our gateway vs node:http serving the same bytes from memory', async () => {
    // The bytes the gateway serves, as the anchor's Map.
    const db = new Database(path.join(PREPARED, 'node', 'lineage.sqlite'), { readonly: true })
    const rows = keptDocuments(db).map(d => ({ id: d.tokenId, etag: d.etag, json: d.json }))
    db.close()
    expect(rows.length).toBe(TOKENS)
    fs.writeFileSync(path.join(work, 'documents.jsonl'), rows.map(r => JSON.stringify(r)).join('\n'))
    fs.writeFileSync(path.join(work, 'anchor.mjs'), ANCHOR_SERVER)

    const anchorProcess = await startProcess([path.join(work, 'anchor.mjs'), path.join(work, 'documents.jsonl')], /listening (\d+)/)
    running.push(anchorProcess)
    const anchor = { ...await load(id => `http://127.0.0.1:${anchorProcess.url}/metadata/1/${ADDRESS}/${id}`), name: 'node:http, the same documents from a Map (anchor)' }
    const anchorMemory = memory(anchorProcess.child.pid)
    anchorProcess.child.kill('SIGTERM')
    await anchorProcess.exited

    const dataDir = path.join(work, 'node')
    fs.cpSync(path.join(PREPARED, 'node'), dataDir, { recursive: true })
    const profile = process.env.LINEAGE_BENCH_CPU_PROF
    const nodeOptions = [process.env.LINEAGE_BENCH_NODE_OPTIONS ?? '', profile === undefined ? '' : `--cpu-prof --cpu-prof-dir=${profile}`].join(' ').trim()
    const env = nodeOptions === '' ? process.env : { ...process.env, NODE_OPTIONS: nodeOptions }
    // A first start brings the copy to this build's schema and lets its one-time work end (the
    // browse index's rebuild for a store made before it, in the background): the measured start
    // below is a restart, as a creator's node restarts.
    const first = await startProcess([CLI, 'start', '--data-dir', dataDir, ...TEST_NODE_ARGS, '--offline'], /UI: +(http:\/\/[^/\s]+)/)
    console.log(`first start: idle ${(await idle(first.child.pid)).toFixed(0)} s after it printed its URL`)
    first.child.kill('SIGTERM')
    await first.exited
    const node = await startProcess([CLI, 'start', '--data-dir', dataDir, ...TEST_NODE_ARGS, '--offline'], /UI: +(http:\/\/[^/\s]+)/, env)
    running.push(node)
    const url = (id: number): string => `${node.url}/metadata/1/${ADDRESS}/${id}`
    const startedMemory = memory(node.child.pid)
    const sample = await fetch(url(42))
    expect(await sample.text()).toBe(rows.find(r => r.id === '42')?.json)

    const restarted = { ...await load(url), name: 'Lineage gateway /metadata, right after a restart' }
    const restartedMemory = memory(node.child.pid)
    const again = { ...await load(url), name: 'Lineage gateway /metadata, the same process again' }
    const againMemory = memory(node.child.pid)
    node.child.kill('SIGTERM')
    await node.exited

    const measured = [restarted, again]
    for (const c of [anchor, ...measured]) expect(c.errors + c.non2xx).toBe(0)
    reportRatios(`tokenURI reads, random ids over ${TOKENS} tokens, ${CONNECTIONS} connections, ${DURATION_S} s each`, anchor, measured)
    console.log(`requests/s: anchor ${Math.round(anchor.throughput.mean)}, p99 ${anchor.latency.p99} ms, RSS ${anchorMemory.rss.toFixed(0)} MiB`)
    console.log(`node RSS right after its start, before any read: ${startedMemory.rss.toFixed(0)} MiB`)
    for (const [c, m] of [[restarted, restartedMemory], [again, againMemory]] as const) {
      console.log(`requests/s: ${c.name} ${Math.round(c.throughput.mean)} = ${(c.throughput.mean / anchor.throughput.mean).toFixed(2)} × node:http; p99 ${c.latency.p99} ms; node RSS ${m.rss.toFixed(0)} MiB (peak ${m.peak.toFixed(0)} MiB)`)
    }
  }, 600_000)
})
