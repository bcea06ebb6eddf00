// Replicating a 10,000-token collection from one node to a fresh one on loopback, side by side in
// one run with the anchor:
//  - anchor: a stock Helia 7 node (`createHelia`, bitswap, in-memory stores, TCP on 127.0.0.1)
//    fetching the same 10,000 version blocks by CID from node A over bitswap, 32 at a time, each
//    checked against its CID (bench/helpers/helia-fetch.ts). Helia gets only the blocks.
//  - ours: a fresh node B follows the collection and connects to A. B reconciles (set
//    reconciliation over canonical keys), fetches the 10,001 signed transactions, checks every
//    signature, applies them through the erc721 contract in its sandbox and writes the same blocks
//    and slot heads; timed from the connect to the last receipt. Target: ≤ 15 s.
// Both nodes run in this process (one thread for A's answers and B's work).
import { performance } from 'node:perf_hooks'
import { CID } from 'multiformats/cid'
import { describe, expect, test } from 'vitest'
import { ed25519Signer } from '../test/helpers/signers.js'
import { startTestNode } from '../test/helpers/test-node.js'
import type { TestNode } from '../test/helpers/test-node.js'
import { documentFor } from './documents.js'
import { heliaFetch } from './helpers/helia-fetch.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const ITEMS = Number(process.env.REPLICATION_BENCH_ITEMS ?? 10_000)
const COLLECTION = { chain_id: '1', token_address: '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e' }
const TARGET_MS = 15_000

function row (name: string, ms: number, items: number): MeasuredCase {
  return { name, latency: { mean: ms / items, p99: ms / items }, throughput: { mean: items / (ms / 1000) } }
}

const headCids = (n: TestNode): string[] => n.node.store.db.prepare('SELECT head_cid FROM slots ORDER BY data_key').pluck().all() as string[]

describe('replication of a collection to a fresh node', () => {
  test(`${ITEMS} tokens: Lineage sync vs Helia bitswap`, async () => {
    const a = await startTestNode()
    const b = await startTestNode()
    try {
      const writer = ed25519Signer()
      const base = { ...COLLECTION, meta_contract_id: 'erc721', alias: '', version: 'v1', mcdata: '' }
      const requests = [await writer.sign({ ...base, method: 'contract', token_id: '', data: '{}' })]
      for (let i = 1; i <= ITEMS; i++) requests.push(await writer.sign({ ...base, method: 'metadata', token_id: String(i), data: JSON.stringify(documentFor(i)) }))
      for (let i = 0; i < requests.length; i += 512) a.node.lineage.publishBatch(requests.slice(i, i + 512))
      await a.node.lineage.settled()
      const cids = headCids(a)
      expect(cids).toHaveLength(ITEMS)
      const address = a.node.status().listenAddresses.find(x => !x.includes('/ws')) ?? ''

      const helia = await heliaFetch(address, cids.map(c => CID.parse(c)))

      b.node.replication.follow(COLLECTION.chain_id, COLLECTION.token_address)
      const started = performance.now()
      await b.node.replication.connect(address)
      const until = Date.now() + 300_000
      while ((b.node.replication.follows()[0]?.transactions ?? 0) < ITEMS + 1) {
        if (Date.now() > until) throw new Error('replication did not finish in 5 minutes')
        await new Promise(resolve => setTimeout(resolve, 5))
      }
      await b.node.lineage.settled()
      const lineageMs = performance.now() - started
      expect(headCids(b)).toEqual(cids)

      const rows = reportRatios(`Replicating ${ITEMS.toLocaleString('en-US')} tokens to a fresh node on loopback (per token)`,
        row('Helia 7 bitswap fetch of the version blocks (stock createHelia, 32 at a time)', helia.ms, ITEMS),
        [row('Lineage sync: reconcile, fetch signed transactions, verify, apply through erc721, write blocks', lineageMs, ITEMS)])
      console.log(`Helia bitswap: ${(helia.ms / 1000).toFixed(1)} s; Lineage replication: ${(lineageMs / 1000).toFixed(1)} s (target ≤ ${TARGET_MS / 1000} s: ${lineageMs <= TARGET_MS ? 'met' : 'missed'}); ratio ${rows[1]?.timeVsAnchor.toFixed(2)}×`)
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  }, 900_000)
})
