// Writing 10,000 ERC-721 documents (≈ 500 bytes each), one after another, side by side in one run:
//  - anchor: OrbitDB 4 (`@orbitdb/core` 4.0.0), a `documents` database on a fresh Helia 7 node with
//    no network (libp2p on 127.0.0.1 only, no bootstrap, no mDNS, no bitswap or HTTP routing).
//    Storage is what OrbitDB does by default in Node: its heads, index and keystore in LevelDB
//    (classic-level) under a temp dir, the log entries in Helia's default in-memory blockstore
//    (and pinned there, as OrbitDB does). `await db.put({ _id, ...document })` for each.
//  - ours, as a creator imports a collection: the same documents as a folder of files through
//    `importer.run` (read, checked and signed by the engine, erc721 contract in the sandbox, blocks,
//    slot head, receipt), timed from the run's start to the last receipt.
//  - ours, as a dApp writes: each document signed client-side with ed25519 and sent to
//    `lineage.publish` (checks, signature, nonce, pending row), then the validator, timed until
//    `lineage.settled()`.
// Whole-run rows: mean = run time / documents, p99 = the slowest 1% of gaps between consecutive
// completions (an awaited `put` for OrbitDB, an `applied` receipt for us).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { describe, expect, test } from 'vitest'
import { ed25519Signer } from '../test/helpers/signers.js'
import { startTestNode } from '../test/helpers/test-node.js'
import { documentFor } from './documents.js'
import { fullImport } from './full-import.js'
import { reportRatios } from './ratios.js'
import { collectGarbage, orbitdbRun, wholeRun } from './helpers/orbitdb.js'
import type { Run } from './helpers/orbitdb.js'

const ITEMS = Number(process.env.ORBITDB_BENCH_ITEMS ?? 10_000)
const ADDRESS = '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e'
const OURS = 'Lineage per-item publish (client ed25519, publish, erc721 contract, blocks, receipt)'


async function lineageRun (): Promise<Run & { signingMs: number, publishCallsMs: number, publishedMs: number }> {
  const setupStart = performance.now()
  const { node, base: url, stop } = await startTestNode()
  try {
    const signer = ed25519Signer()
    const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'erc721', alias: '', version: 'v1', mcdata: '' } as const
    const completions: number[] = []
    const rejected: string[] = []
    node.lineage.on('rejected', outcome => { rejected.push(JSON.stringify(outcome)) })
    node.lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
    await node.lineage.settled()
    expect(rejected).toEqual([])
    node.lineage.on('applied', () => { completions.push(performance.now()) })
    const setupMs = performance.now() - setupStart

    let signingMs = 0
    let publishCallsMs = 0
    const startedAt = performance.now()
    for (let id = 0; id < ITEMS; id++) {
      const signStart = performance.now()
      const request = await signer.sign({ ...base, token_id: String(id), data: JSON.stringify(documentFor(id)) })
      const publishStart = performance.now()
      signingMs += publishStart - signStart
      node.lineage.publish(request)
      publishCallsMs += performance.now() - publishStart
    }
    const publishedMs = performance.now() - startedAt
    await node.lineage.settled()
    expect(rejected).toEqual([])
    expect(completions.length).toBe(ITEMS)
    const run = wholeRun(OURS, startedAt, completions, setupMs)

    for (const id of [0, 42 % ITEMS, ITEMS - 1]) {
      const served = await fetch(`${url}/metadata/1/${ADDRESS}/${id}`)
      expect(served.status).toBe(200)
      expect(await served.json()).toEqual(documentFor(id))
    }
    return { ...run, signingMs, publishCallsMs, publishedMs }
  } finally {
    await stop()
  }
}

describe('bulk writes: OrbitDB documents vs our full path', () => {
  test(`${ITEMS} ERC-721 documents, one after another, side by side`, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-orbitdb-bench-'))
    try {
      const anchor = await orbitdbRun(work, ITEMS)
      fs.mkdirSync(path.join(work, 'import'))
      const documents = Array.from({ length: ITEMS }, (_, id) => JSON.stringify(documentFor(id)))
      collectGarbage()
      const imported = await fullImport(path.join(work, 'import'), documents)
      collectGarbage()
      const ours = await lineageRun()
      const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
      reportRatios(`${ITEMS} ERC-721 documents (≈ 500 bytes): OrbitDB vs our bulk import and per-item publish`, anchor, [imported, ours])
      console.log([
        `| case | total | documents/s |`,
        '|---|---:|---:|',
        ...[anchor, imported, ours].map(r => `| ${r.name} | ${s(r.totalMs)} | ${Math.round(r.throughput.mean).toLocaleString('en-US')} |`),
        '',
        `bulk import vs OrbitDB: ${(anchor.totalMs / imported.totalMs).toFixed(2)}× its speed (target ≥ 10×), ${s(imported.totalMs)} for ${ITEMS} (target ≤ 10 s for 10,000).`,
        `per-item publish vs OrbitDB: ${(anchor.totalMs / ours.totalMs).toFixed(2)}× its speed; ${s(ours.totalMs)}.`,
        `ours, inside the total: client-side ed25519 signing ${s(ours.signingMs)}, \`lineage.publish\` calls ${s(ours.publishCallsMs)} (loop of both ${s(ours.publishedMs)}); then until settled ${s(ours.totalMs - ours.publishedMs)}.`,
        '',
      ].join('\n'))
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  }, 1_800_000)
})
