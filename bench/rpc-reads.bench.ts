// JSON-RPC reads under load against the gateway of the same node: one `lineage-node` process
// (dist), autocannon with 32 connections, 10 s per case, one case after the other. Anchor: the
// gateway's /metadata for random token ids (the same documents get_token formats). Cases:
// get_metadata of a random token's slot, get_token of a random token, list_tokens pages of 50 at
// random cursors. Target: each RPC read ≥ 0.5× the anchor's requests/s.
//
// 10,000 tokens by default, where the gateway serves every document from memory (its fastest);
// LINEAGE_BENCH_TOKENS sets another size (stores as in helpers/scaled-store.ts: run
// bench/gateway-scale.bench.ts once first). LINEAGE_BENCH_CPU_PROF=<dir> writes the node's CPU
// profile there when it stops.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, test } from 'vitest'
import { startNodeProcess } from '../test/helpers/processes.js'
import type { StartedNode } from '../test/helpers/processes.js'
import { TEST_NODE_ARGS } from '../test/helpers/node-config.js'
import { cpuSeconds, idle } from './helpers/idle.js'
import { ADDRESS, scaledStore } from './helpers/scaled-store.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const TOKENS = Number(process.env.LINEAGE_BENCH_TOKENS ?? 10_000)
const CONNECTIONS = 32
const DURATION_S = 10
const SAMPLE = 2000

type Measured = MeasuredCase & { errors: number, non2xx: number, cpuPerRequestUs: number }

/**
 * Also the node's CPU a request (user + system, from /proc): a measure the load generator, which
 * shares the two cores with the node, does not skew as it skews requests a second.
 */
async function load (name: string, url: string, pid: number | undefined, request: () => { method: 'GET' | 'POST', path: string, body?: string }): Promise<Measured> {
  const cpuBefore = cpuSeconds(pid)
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: r => ({ ...r, ...request() }) }],
  })
  const cpuPerRequestUs = (cpuSeconds(pid) - cpuBefore) * 1e6 / Math.max(1, result.requests.total)
  return { name, latency: { mean: result.latency.average, p99: result.latency.p99 }, throughput: { mean: result.requests.average }, errors: result.errors, non2xx: result.non2xx, cpuPerRequestUs }
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)] as T
const rpc = (method: string, params: unknown): string => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })

describe(`RPC reads vs the gateway, ${TOKENS.toLocaleString('en-US')} tokens`, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-rpc-reads-'))
  let node: StartedNode | undefined
  afterAll(async () => {
    if (node !== undefined) {
      node.child.kill('SIGTERM')
      await node.exited
    }
    fs.rmSync(work, { recursive: true, force: true })
  })

  test('get_metadata, get_token, list_tokens vs gateway /metadata, 32 connections', async () => {
    const store = scaledStore(work, TOKENS)
    const db = new Database(path.join(store.dataDir, 'lineage.sqlite'), { readonly: true })
    const slots = db.prepare('SELECT data_key, meta_contract_id, public_key, alias, version, token_id FROM slots ORDER BY random() LIMIT ?').all(SAMPLE) as Array<Record<string, string>>
    db.close()
    expect(slots.length).toBe(SAMPLE)

    const profile = process.env.LINEAGE_BENCH_CPU_PROF
    if (profile !== undefined) process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${profile}`
    node = await startNodeProcess(['--data-dir', store.dataDir, ...TEST_NODE_ARGS, '--offline'], 300_000)
    delete process.env.NODE_OPTIONS
    // Load starts once the node's start-up work (the gateway's warm-up) is done.
    console.log(`node idle ${(await idle(node.child.pid)).toFixed(0)} s after it printed its URL`)
    const base = node.url
    const tokenId = (): string => String(1 + Math.floor(Math.random() * TOKENS))
    // The sampled requests answer what they should before any is timed.
    const first = slots[0] ?? {}
    const check = await (await fetch(`${base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: rpc('get_metadata', [first.data_key, first.meta_contract_id, first.public_key, first.alias, first.version]) })).json() as { result: { token_id: string } }
    expect(check.result.token_id).toBe(first.token_id)

    const anchor = await load('gateway /metadata, random ids (anchor)', base, node.child.pid, () => ({ method: 'GET', path: `/metadata/1/${ADDRESS}/${tokenId()}` }))
    const cases = [
      await load('get_metadata, a random token\'s slot', base, node.child.pid, () => {
        const s = pick(slots)
        return { method: 'POST', path: '/rpc', body: rpc('get_metadata', [s.data_key, s.meta_contract_id, s.public_key, s.alias, s.version]) }
      }),
      await load('get_token, a random token', base, node.child.pid, () => ({ method: 'POST', path: '/rpc', body: rpc('get_token', [{ chain_id: '1', token_address: ADDRESS, token_id: tokenId() }]) })),
      await load('list_tokens, 50 after a random cursor', base, node.child.pid, () => ({ method: 'POST', path: '/rpc', body: rpc('list_tokens', [{ chain_id: '1', token_address: ADDRESS }, { limit: 50, cursor: tokenId() }]) })),
    ]
    for (const c of [anchor, ...cases]) expect({ name: c.name, failed: c.errors + c.non2xx }).toEqual({ name: c.name, failed: 0 })
    reportRatios(`RPC reads vs the gateway on the same node, ${TOKENS.toLocaleString('en-US')} tokens, ${CONNECTIONS} connections, ${DURATION_S} s each`, anchor, cases)
    for (const c of cases) {
      console.log(`requests/s: ${c.name} ${Math.round(c.throughput.mean)} = ${(c.throughput.mean / anchor.throughput.mean).toFixed(2)} × the gateway (${Math.round(anchor.throughput.mean)}); p99 ${c.latency.p99} ms; node CPU a request ${c.cpuPerRequestUs.toFixed(0)} µs = ${(c.cpuPerRequestUs / anchor.cpuPerRequestUs).toFixed(2)} × the gateway's (${anchor.cpuPerRequestUs.toFixed(0)} µs)`)
    }
  }, 1_800_000)
})
