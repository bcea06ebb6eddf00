// The collection browser (issue 18): what its index adds to an import, and how long its reads take
// at 10,000 and 100,000 tokens.
//
// 1. Import: the in-process bulk import of a folder (bench/full-import.ts) with the browse index
//    written in the validator's transaction, against the same import with the index writer
//    replaced by a no-op (bench only), alternated in the same run, BROWSE_BENCH_RUNS times each.
//    Anchor: the import without the index.
// 2. Reads: browse_tokens pages (lineage/browse, in process, as the RPC handler calls it) on a copy
//    of the 100,000-token store of bench/gateway-scale.bench.ts (helpers/scaled-store.ts), cut to
//    10,000 for the smaller size or copied up to 1,000,000; opening the copy builds the cards from
//    the blocks (migration 19), timed. Anchor: a list_tokens page of 48 (lineage/tokens keyset
//    paging), the read the browser replaces. Each case: BROWSE_BENCH_READS calls, mean and p99.
//    Filtered and deep pages read the collection's in-memory trait index; the index's first read,
//    a page right after one card changed (the kept index mended) and the SQL plans alone (what
//    answers while a whole read is spaced out) are cases.
//
// BROWSE_BENCH_IMPORT_ITEMS (default 10000; 0 skips), BROWSE_BENCH_RUNS (default 2),
// BROWSE_BENCH_SIZES (default "10000,100000"; "1000000" makes that store once, minutes), BROWSE_BENCH_READS (default 200).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { describe, expect, test } from 'vitest'
import { CardWriter, createBrowser } from '../src-main/lineage/browse/index.js'
import type { BrowseQuery } from '../src-main/lineage/browse/index.js'
import { createTokens, ledgerReads } from '../src-main/lineage/tokens/index.js'
import { createBlockstore, createStore } from '../src-main/store/index.js'
import { testLog } from '../test/helpers/logger.js'
import { documentFor } from './documents.js'
import { fullImport } from './full-import.js'
import { scaledStore } from './helpers/scaled-store.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const IMPORT_ITEMS = Number(process.env.BROWSE_BENCH_IMPORT_ITEMS ?? 10_000)
const RUNS = Number(process.env.BROWSE_BENCH_RUNS ?? 2)
const SIZES = (process.env.BROWSE_BENCH_SIZES ?? '10000,100000').split(',').map(Number).filter(n => n > 0)
const READS = Number(process.env.BROWSE_BENCH_READS ?? 200)
/** Calls of the slow cases (the index read first, SQL plans only): fewer, they take up to seconds at 1,000,000. */
const INDEX_READS = 10
const SQL_READS = 20

/** Mean and p99 of `runs` calls, in milliseconds. */
function measure (name: string, runs: number, call: (i: number) => unknown): MeasuredCase {
  for (let i = 0; i < 5; i++) call(i)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    call(i)
    times.push(performance.now() - started)
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length
  times.sort((a, b) => a - b)
  return { name, latency: { mean, p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? 0 }, throughput: { mean: 1000 / mean } }
}

describe('collection browser', () => {
  test.skipIf(IMPORT_ITEMS === 0)(`import of ${IMPORT_ITEMS.toLocaleString('en-US')} documents with and without the browse index`, async () => {
    const documents = Array.from({ length: IMPORT_ITEMS }, (_, i) => JSON.stringify(documentFor(i + 1)))
    const original = CardWriter.prototype.refresh
    const totals = { with: [] as number[], without: [] as number[] }
    for (let run = 0; run < RUNS * 2; run++) {
      // Alternated, so load from other processes falls on both alike.
      const indexed = run % 2 === (RUNS % 2 === 0 ? 1 : 0) ? false : true
      CardWriter.prototype.refresh = indexed ? original : function noIndex () {}
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-browse-import-'))
      try {
        const measured = await fullImport(dir, documents)
        totals[indexed ? 'with' : 'without'].push(measured.totalMs)
      } finally {
        CardWriter.prototype.refresh = original
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }
    const row = (name: string, ms: number[]): MeasuredCase => {
      const total = ms.reduce((a, b) => a + b, 0) / ms.length
      return { name, latency: { mean: total / IMPORT_ITEMS, p99: Math.max(...ms) / IMPORT_ITEMS }, throughput: { mean: IMPORT_ITEMS / (total / 1000) } }
    }
    console.log(`import runs (ms): with the index ${totals.with.map(t => t.toFixed(0)).join(', ')}; without ${totals.without.map(t => t.toFixed(0)).join(', ')}`)
    reportRatios(`bulk import of ${IMPORT_ITEMS.toLocaleString('en-US')} documents, mean of ${RUNS} alternated runs each (p99 column: the slower run, per item)`,
      row('import without the browse index (writer a no-op)', totals.without), [row('import with the browse index (cards, FTS5, traits, counts)', totals.with)])
  }, 1_800_000)

  for (const size of SIZES) {
    test(`browse_tokens reads at ${size.toLocaleString('en-US')} tokens`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-browse-reads-'))
      try {
        const { dataDir, tokenKey } = scaledStore(dir, size)
        const store = createStore({ log: testLog }, { dataDir })
        store.start()
        const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
        const started = performance.now()
        await new CardWriter(store.db, blockstore, testLog).rebuildIfAsked(new AbortController().signal)
        const rebuildMs = performance.now() - started
        const keys = { tokenKey: () => tokenKey, dataKey: () => { throw new Error('not used') } }
        const browser = createBrowser({ db: store.db, keys })
        const bySql = createBrowser({ db: store.db, keys }, { traitIndexFrom: Infinity })
        const tokens = createTokens({ store, blockstore, keys })
        const collection = { token_key: tokenKey }
        const cards = store.db.prepare('SELECT count(*) FROM token_cards').pluck().get() as number
        expect(cards).toBe(size)
        console.log(`${size.toLocaleString('en-US')} tokens: cards built from the blocks at the engine's start in ${(rebuildMs / 1000).toFixed(1)} s`)
        const pages = Math.ceil(size / 48)
        const browse = (query: BrowseQuery) => () => browser.browse(collection, query)
        const check = browser.browse(collection, { text: 'doodle 4242' })
        expect(check.items.map(i => i.token_id)).toContain('4242')
        const anchor = measure('list_tokens page of 48 (keyset)', READS, () => tokens.list(collection, { limit: 48 }))
        const touch = store.db.prepare<[number]>('UPDATE token_cards SET updated_at = updated_at + 1 WHERE id = ?')
        const cardIds = store.db.prepare<[], number>('SELECT id FROM token_cards').pluck().all()
        const cases = [
          measure('first page, id order, with trait counts', READS, browse({})),
          measure('first page, id order, no counts', READS, browse({ facets: false })),
          measure('first page by name', READS, browse({ sort: 'name' })),
          measure('recently changed first', READS, browse({ sort: 'updated' })),
          measure(`last page (${pages.toLocaleString('en-US')} of ${pages.toLocaleString('en-US')})`, READS, browse({ page: pages })),
          measure('search "doodle 42…" (a word and a prefix), varied', READS, i => browser.browse(collection, { text: `doodle ${String(10 + (i % 90))}` })),
          measure('filter face = happy (1 in 4), with counts', READS, browse({ traits: [{ trait_type: 'face', value: 'happy' }] })),
          measure('filter face = happy and hair = blue, page 3', READS, browse({ traits: [{ trait_type: 'face', value: 'happy' }, { trait_type: 'hair', value: 'blue' }], page: 3 })),
          measure('search + filter, sorted by name', READS, i => browser.browse(collection, { text: String(100 + (i % 900)), traits: [{ trait_type: 'background', value: 'pink' }], sort: 'name' })),
          // What a filtered page costs right after the collection changed: the trait index read again.
          measure('filter face = happy, the trait index read first (a new browser each)', INDEX_READS, () => createBrowser({ db: store.db, keys }).browse(collection, { traits: [{ trait_type: 'face', value: 'happy' }] })),
          // Right after an edit: the kept index mended by the one card changed (store migration 26).
          measure('filter face = happy, right after a card changed (the kept index mended)', READS, i => {
            touch.run(cardIds[(i * 7919) % cardIds.length] as number)
            return browser.browse(collection, { traits: [{ trait_type: 'face', value: 'happy' }] })
          }),
          // Before the trait index, and while it is not read again (a collection changing fast).
          measure('filter face = happy, with counts, SQL plans only', SQL_READS, () => bySql.browse(collection, { traits: [{ trait_type: 'face', value: 'happy' }] })),
          measure('filter face = happy and hair = blue, page 3, SQL plans only', SQL_READS, () => bySql.browse(collection, { traits: [{ trait_type: 'face', value: 'happy' }, { trait_type: 'hair', value: 'blue' }], page: 3 })),
          measure('last page, SQL plans only', SQL_READS, () => bySql.browse(collection, { page: pages })),
          measure('search "doodle 42…", varied, SQL plans only', SQL_READS, i => bySql.browse(collection, { text: `doodle ${String(10 + (i % 90))}` })),
        ]
        reportRatios(`browse_tokens at ${size.toLocaleString('en-US')} tokens (in process, page of 48)`, anchor, cases)
        store.stop()
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }, 1_800_000)
  }
})
