// Bulk import through the full path (a folder of ERC-721 documents, each signed with ed25519,
// verified, run through the erc721 contract in the sandbox, written as blocks, slot head and
// receipt) against bare durable storage: the same documents inserted into a plain better-sqlite3
// table, one commit per document, with the store's pragmas (WAL, synchronous=FULL).
// Anchor: raw SQLite. Whole-run timings: mean = run time / items, p99 = the slowest 1% of gaps
// between consecutive completions.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { describe, expect, test } from 'vitest'
import { createLineage } from '../src-main/lineage/engine/index.js'
import { createImporter } from '../src-main/lineage/import/index.js'
import { createSigner } from '../src-main/lineage/keys/index.js'
import { createContractSandbox, keysFromService } from '../src-main/marine/index.js'
import { createBlockstore, createStore } from '../src-main/store/index.js'
import { loadMarineService } from '../services/toolchain/index.js'
import { testLog } from '../test/helpers/logger.js'
import { builtService } from '../test/helpers/services.js'
import { documentFor } from './documents.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const ITEMS = Number(process.env.IMPORT_BENCH_ITEMS ?? 10_000)
const COLLECTION = { chain_id: '1', token_address: '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e' }
const ANCHOR = 'raw SQLite, one commit per document (WAL, synchronous=FULL)'
const IMPORT = 'import through the full path (ed25519, erc721 contract, blocks, receipt)'


/** A whole run as one row: mean per item from the total, p99 from the gaps between completions. */
function wholeRun (name: string, startedAt: number, completions: number[]): MeasuredCase {
  const gaps = completions.map((t, i) => t - (i === 0 ? startedAt : completions[i - 1] ?? startedAt)).sort((a, b) => a - b)
  const total = (completions.at(-1) ?? startedAt) - startedAt
  return {
    name,
    latency: { mean: total / completions.length, p99: gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.99))] ?? 0 },
    throughput: { mean: completions.length / (total / 1000) },
  }
}

function rawSqlite (dir: string, documents: string[]): MeasuredCase {
  const db = new Database(path.join(dir, 'raw.sqlite'))
  db.pragma('locking_mode = EXCLUSIVE')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('CREATE TABLE documents (id INTEGER PRIMARY KEY, data TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO documents (id, data) VALUES (?, ?)')
  const completions: number[] = []
  const startedAt = performance.now()
  documents.forEach((data, i) => {
    insert.run(i + 1, data)
    completions.push(performance.now())
  })
  expect((db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n).toBe(documents.length)
  db.close()
  return wholeRun(ANCHOR, startedAt, completions)
}

async function fullImport (dir: string, documents: string[]): Promise<MeasuredCase> {
  const folder = path.join(dir, 'collection')
  fs.mkdirSync(folder)
  documents.forEach((data, i) => { fs.writeFileSync(path.join(folder, `${i + 1}.json`), data) })

  const store = createStore({ log: testLog }, { dataDir: path.join(dir, 'node') })
  store.start()
  const sandbox = createContractSandbox({ log: testLog })
  for (const id of ['open', 'erc721']) await sandbox.load(id, builtService(id))
  const keysService = await loadMarineService(builtService('keys'), 'keys')
  const blockstore = createBlockstore(store)
  const lineage = createLineage({ store, blockstore, sandbox, keys: keysFromService(keysService), log: testLog })
  lineage.start()
  const importer = createImporter({ lineage, store, blockstore, log: testLog })
  importer.start()
  const signer = createSigner('bench', 'ed25519', crypto.getRandomValues(new Uint8Array(32)))
  try {
    const { job } = importer.create({ source: folder, ...COLLECTION, meta_contract_id: 'erc721', public_key: signer.publicKey })
    const completions: number[] = []
    const onApplied = (): void => { completions.push(performance.now()) }
    const startedAt = performance.now()
    lineage.on('applied', onApplied)
    const report = await importer.run(job, { signer })
    lineage.off('applied', onApplied)
    expect(report).toMatchObject({ state: 'done', applied: documents.length, rejected_count: 0 })
    // The binding is applied first, inside the run: count items only.
    return wholeRun(IMPORT, startedAt, completions.slice(-documents.length))
  } finally {
    await importer.stop()
    await lineage.stop()
    await sandbox.stop()
    keysService.terminate()
    store.stop()
  }
}

describe('bulk import', () => {
  test(`${ITEMS.toLocaleString('en-US')} ERC-721 documents: full path vs raw SQLite`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-import-bench-'))
    try {
      const documents = Array.from({ length: ITEMS }, (_, i) => JSON.stringify(documentFor(i + 1)))
      const anchor = rawSqlite(dir, documents)
      const imported = await fullImport(dir, documents)
      reportRatios(`bulk import of ${ITEMS.toLocaleString('en-US')} documents (~${Math.round(documents.reduce((n, d) => n + d.length, 0) / ITEMS)} B): full path vs raw SQLite`, anchor, [imported])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
