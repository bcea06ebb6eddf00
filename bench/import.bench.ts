// Bulk import through the full path (a folder of ERC-721 documents, each checked and signed with
// ed25519 by the engine, run through the erc721 contract in the sandbox, written as blocks, slot
// head and receipt) against bare durable storage: the same documents inserted into a plain better-sqlite3
// table, one commit per document, with the store's pragmas (WAL, synchronous=FULL).
// Anchor: raw SQLite. Whole-run timings: mean = run time / items, p99 = the slowest 1% of gaps
// between consecutive completions.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { describe, expect, test } from 'vitest'
import { documentFor } from './documents.js'
import { fullImport, wholeRun } from './full-import.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const ITEMS = Number(process.env.IMPORT_BENCH_ITEMS ?? 10_000)
const ANCHOR = 'raw SQLite, one commit per document (WAL, synchronous=FULL)'


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
