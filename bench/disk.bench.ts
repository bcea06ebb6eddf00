// What a collection costs on disk. N documents (DISK_BENCH_ITEMS, 10,000 by default; 100,000 for
// the figure) are imported through the engine as `lineage-node import` does
// (full-import.ts), then a node starts once on the data dir and keeps every tokenURI document,
// as a first start does. Anchor: the "SQLite limit file", built in the same run from the same
// collection: one plain SQLite file holding just the blocks (the versions, as their CIDs prove
// them) and the documents the gateway serves. Also printed: the source JSON's size, and where the
// node's bytes go, per table and index (SQLite's dbstat).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, test } from 'vitest'
import { createLineageNode } from '../src-main/node/index.js'
import { ledgerReads } from '../src-main/lineage/tokens/index.js'
import { DATABASE_FILE, createBlockstore, createStore } from '../src-main/store/index.js'
import { keptDocuments } from '../test/helpers/kept-documents.js'
import { testLog, testLogger } from '../test/helpers/logger.js'
import { testNodeConfig } from '../test/helpers/node-config.js'
import { documentFor } from './documents.js'
import { fullImport } from './full-import.js'

const ITEMS = Number(process.env.DISK_BENCH_ITEMS ?? 10_000)
/** The target of issue 17: the node's database at most this many times the limit file. */
const TARGET_RATIO = 2

/** Bytes of a database file and its WAL, as they sit on disk. */
function fileBytes (file: string): number {
  return [file, `${file}-wal`].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0)
}

/** One row per table and index: pages × page size, and how much of that is stored data. */
function breakdown (file: string): Array<{ name: string, bytes: number, payload: number }> {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare('SELECT name, sum(pgsize) AS bytes, sum(payload) AS payload FROM dbstat GROUP BY name ORDER BY bytes DESC')
      .all() as Array<{ name: string, bytes: number, payload: number }>
  } finally {
    db.close()
  }
}

/**
 * The anchor: the same blocks and served documents in the plainest SQLite file, rebuilt once
 * (VACUUM) so every page is full, at the page size that makes it smallest: the tightest plain
 * file, so the ratio is not flattered by a loose anchor.
 */
async function limitFile (nodeDir: string, dir: string): Promise<{ bytes: number, pageSize: number }> {
  const file = path.join(dir, 'limit.sqlite')
  const out = new Database(file)
  out.exec(`
    CREATE TABLE blocks (cid BLOB PRIMARY KEY NOT NULL, bytes BLOB NOT NULL);
    CREATE TABLE documents (token_id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL);
  `)
  const store = createStore({ log: testLog }, { dataDir: nodeDir })
  store.start()
  try {
    const insertBlock = out.prepare('INSERT INTO blocks (cid, bytes) VALUES (?, ?)')
    const insertDocument = out.prepare('INSERT INTO documents (token_id, json) VALUES (?, ?)')
    out.exec('BEGIN')
    for await (const { cid, bytes } of createBlockstore(store, { transactionRows: ledgerReads }).getAll()) {
      for await (const chunk of bytes) insertBlock.run(cid.bytes, chunk)
    }
    // The documents as served (the node keeps them deflated, store migration 27).
    for (const { tokenId, json } of keptDocuments(store.db)) insertDocument.run(tokenId, json)
    out.exec('COMMIT')
  } finally {
    store.stop()
  }
  let best = { bytes: Number.POSITIVE_INFINITY, pageSize: 0 }
  try {
    for (const pageSize of [4096, 8192, 16384]) {
      out.pragma(`page_size = ${pageSize}`)
      out.exec('VACUUM')
      const bytes = fileBytes(file)
      if (bytes < best.bytes) best = { bytes, pageSize }
    }
  } finally {
    out.close()
  }
  return best
}

const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`

describe('disk', () => {
  test(`${ITEMS.toLocaleString('en-US')} ERC-721 documents: the node's database vs the SQLite limit file`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-disk-bench-'))
    try {
      const documents = Array.from({ length: ITEMS }, (_, i) => JSON.stringify(documentFor(i + 1)))
      const sourceBytes = documents.reduce((n, d) => n + Buffer.byteLength(d), 0)
      await fullImport(dir, documents)
      const nodeDir = path.join(dir, 'node')
      const database = path.join(nodeDir, DATABASE_FILE)
      const afterImport = fileBytes(database)

      // A first start: the gateway formats every token once and keeps the documents.
      const node = createLineageNode(testNodeConfig(nodeDir, { offline: true }), { logger: testLogger })
      await node.start()
      await node.api.gatewaySettled()
      await node.stop()
      const afterStart = fileBytes(database)

      const anchor = await limitFile(nodeDir, dir)
      const limit = anchor.bytes
      const tables = breakdown(database)
      const kept = new Database(database, { readonly: true })
      const counts = kept.prepare('SELECT (SELECT count(*) FROM token_documents) AS documents, (SELECT count(*) FROM blocks) AS blocks').get() as { documents: number, blocks: number }
      kept.close()
      expect(counts.documents).toBe(ITEMS)

      const row = (name: string, bytes: number): string =>
        `| ${name} | ${mb(bytes)} | ${Math.round(bytes / ITEMS).toLocaleString('en-US')} B | ${(bytes / limit).toFixed(2)}× |`
      console.log([
        '',
        `### disk: ${ITEMS.toLocaleString('en-US')} tokens (${counts.blocks.toLocaleString('en-US')} blocks), target ≤ ${TARGET_RATIO}× the limit file`,
        '',
        '| what | bytes | per token | vs SQLite limit file |',
        '|---|---:|---:|---:|',
        row(`SQLite limit file (blocks + served documents, ${anchor.pageSize / 1024} KiB pages): anchor`, limit),
        row('source JSON', sourceBytes),
        row('node database after the import', afterImport),
        row('node database after the first start', afterStart),
        '',
        '| table or index | bytes | per token | stored data |',
        '|---|---:|---:|---:|',
        ...tables.filter(t => t.bytes >= 64 * 1024).map(t =>
          `| ${t.name} | ${mb(t.bytes)} | ${Math.round(t.bytes / ITEMS).toLocaleString('en-US')} B | ${mb(t.payload)} |`),
        '',
      ].join('\n'))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 3_600_000)
})
