// Every read the UI makes on its status, collection, token list, collection browser and token editor screens, one
// call at a time over HTTP JSON-RPC to a real `lineage-node` process (dist), at 10,000 and
// 100,000 tokens; per-call latency, median and slowest of 30 calls after 3 warm-up calls.
// Target: each within 10 ms at 1,000,000 tokens. Timing starts once the node is idle (its
// start-up work, the gateway's warm-up above all, done), so each read is measured alone. The
// 1,000,000-token run is separate: its store takes about 9 minutes to make the first time (kept
// under the temp dir, ~5 GB, and copied by later runs):
//
//   LINEAGE_BENCH_TOKENS=1000000 npm run bench -- bench/reads-scale.bench.ts
//
// Stores are made from the 100,000-token data dir of bench/gateway-scale.bench.ts (run it once
// first), see helpers/scaled-store.ts. No anchor: the target is absolute (10 ms), so the table
// prints each read's time against it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, describe, expect, test } from 'vitest'
import { startNodeProcess } from '../test/helpers/processes.js'
import type { StartedNode } from '../test/helpers/processes.js'
import { TEST_NODE_ARGS } from '../test/helpers/node-config.js'
import { idle } from './helpers/idle.js'
import { ADDRESS, scaledStore } from './helpers/scaled-store.js'

const SIZES = process.env.LINEAGE_BENCH_TOKENS === undefined ? [10_000, 100_000] : [Number(process.env.LINEAGE_BENCH_TOKENS)]
const CALLS = 30
const WARM_UP = 3
const TARGET_MS = 10
const COLLECTION = { chain_id: '1', token_address: ADDRESS }

interface Read { name: string, method: string, params: unknown }

/** The UI's reads (src-renderer/src/lib/state), with values for a collection of `tokens` ids 1…tokens. */
function reads (tokens: number, tokenKey: string): Read[] {
  const middle = String(Math.floor(tokens / 2))
  return [
    { name: 'node_info (status screen, with node totals)', method: 'node_info', params: [] },
    { name: 'list_tokens, first page of 50', method: 'list_tokens', params: [COLLECTION, { limit: 50 }] },
    { name: 'list_tokens, a page of 50 near the end', method: 'list_tokens', params: [COLLECTION, { limit: 50, cursor: String(tokens - 60) }] },
    { name: 'list_tokens limit 1 (a collection\'s token count)', method: 'list_tokens', params: [{ token_key: tokenKey }, { limit: 1 }] },
    { name: 'token id search "7" (1 digit)', method: 'list_tokens', params: [COLLECTION, { limit: 50, token_id_contains: '7' }] },
    { name: 'token id search "42" (2 digits)', method: 'list_tokens', params: [COLLECTION, { limit: 50, token_id_contains: '42' }] },
    { name: 'token id search "999" (3 digits)', method: 'list_tokens', params: [COLLECTION, { limit: 50, token_id_contains: '999' }] },
    { name: 'token id search "12345" (5 digits)', method: 'list_tokens', params: [COLLECTION, { limit: 50, token_id_contains: '12345' }] },
    { name: 'token id search, second page of "1"', method: 'list_tokens', params: [COLLECTION, { limit: 50, token_id_contains: '1', cursor: '1000' }] },
    {
      name: 'get_transactions: collections (applied bindings)',
      method: 'get_transactions',
      params: [{ query: [{ column: 'method', op: '=', query: 'contract' }, { column: 'status', op: '=', query: 'applied' }], ordering: [{ column: 'timestamp', sort: 'desc' }], to: 1000 }],
    },
    {
      name: 'get_transactions: a collection\'s refused',
      method: 'get_transactions',
      params: [{ query: [{ column: 'token_key', op: '=', query: tokenKey }, { column: 'status', op: '=', query: 'rejected' }], ordering: [{ column: 'timestamp', sort: 'desc' }], to: 50 }],
    },
    { name: 'get_meta_contract (collection binding)', method: 'get_meta_contract', params: [tokenKey] },
    { name: 'get_token (token editor)', method: 'get_token', params: [{ ...COLLECTION, token_id: middle }] },
    // The collection browser: its first page, its last, a filter with counts, two, a search.
    { name: 'browse_tokens, first page with trait counts', method: 'browse_tokens', params: [COLLECTION, {}] },
    { name: 'browse_tokens, last page', method: 'browse_tokens', params: [COLLECTION, { page: Math.ceil(tokens / 48) }] },
    { name: 'browse_tokens, filter face = happy (1 in 4), with counts', method: 'browse_tokens', params: [COLLECTION, { traits: [{ trait_type: 'face', value: 'happy' }] }] },
    { name: 'browse_tokens, face = happy and hair = blue, page 3', method: 'browse_tokens', params: [COLLECTION, { traits: [{ trait_type: 'face', value: 'happy' }, { trait_type: 'hair', value: 'blue' }], page: 3 }] },
    { name: 'browse_tokens, search "doodle 42"', method: 'browse_tokens', params: [COLLECTION, { text: 'doodle 42' }] },
  ]
}

async function timeCalls (node: StartedNode, read: Read): Promise<{ median: number, max: number, result: unknown }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: read.method, params: read.params })
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${node.token}` }
  const times: number[] = []
  let result: unknown
  for (let i = 0; i < WARM_UP + CALLS; i++) {
    const started = performance.now()
    const response = await fetch(`${node.url}/rpc`, { method: 'POST', headers, body })
    const json = await response.json() as { result?: unknown, error?: { message: string } }
    const took = performance.now() - started
    if (json.error !== undefined) throw new Error(`${read.method}: ${json.error.message}`)
    result = json.result
    if (i >= WARM_UP) times.push(took)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)] ?? 0, max: times.at(-1) ?? 0, result }
}

describe('the UI\'s reads at scale', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-reads-scale-'))
  const running: StartedNode[] = []
  afterAll(async () => {
    for (const node of running) {
      node.child.kill('SIGTERM')
      await node.exited
    }
    fs.rmSync(work, { recursive: true, force: true })
  })

  for (const tokens of SIZES) {
    test(`${tokens.toLocaleString('en-US')} tokens`, async () => {
      const store = scaledStore(work, tokens)
      console.log(`\n${tokens.toLocaleString('en-US')} tokens: migrations on open ${(store.migrateMs / 1000).toFixed(1)} s, scaling (or copying the kept store) ${(store.scaleMs / 1000).toFixed(1)} s`)
      const node = await startNodeProcess(['--data-dir', store.dataDir, ...TEST_NODE_ARGS, '--offline'], 300_000)
      running.push(node)
      console.log(`node idle ${(await idle(node.child.pid)).toFixed(0)} s after it printed its URL`)
      const rows: string[] = []
      for (const read of reads(tokens, store.tokenKey)) {
        const { median, max, result } = await timeCalls(node, read)
        if (read.method === 'node_info') expect((result as { stats: { tokens: number } }).stats.tokens).toBe(tokens)
        if (read.name.startsWith('list_tokens limit 1')) expect((result as { total: number }).total).toBe(tokens)
        rows.push(`| ${read.name} | ${median.toFixed(2)} ms | ${max.toFixed(2)} ms | ${median <= TARGET_MS ? 'yes' : '**no**'} |`)
      }
      console.log([
        '',
        `### UI reads over HTTP JSON-RPC, one collection of ${tokens.toLocaleString('en-US')} tokens (${CALLS} calls each, one at a time)`,
        '',
        `| read | median | slowest | median ≤ ${TARGET_MS} ms |`,
        '|---|---:|---:|:---:|',
        ...rows,
        '',
      ].join('\n'))
      node.child.kill('SIGTERM')
      await node.exited
      running.splice(running.indexOf(node), 1)
      fs.rmSync(store.dataDir, { recursive: true, force: true })
    }, 1_800_000)
  }
})
