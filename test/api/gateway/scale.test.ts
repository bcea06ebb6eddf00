// A collection bigger than the gateway's memory: 5,000 tokens against a cache of a few hundred
// documents' bytes. Every document is kept in SQLite by the background formatter, so a read the
// cache misses is a kept row, never a format; the cache never holds more than its limit, and a
// crawl that reads each token once does not push out a token read again; and every body and ETag
// is the one the gateway made before kept rows were served (formatted from the token's slots,
// ETag from its sorted heads). An edit is served at once, restarted or not.
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BackgroundFormatter } from '../../../src-main/api/gateway/background-formatter.js'
import { entryBytes } from '../../../src-main/api/gateway/document-cache.js'
import { createDocumentStore } from '../../../src-main/api/gateway/index.js'
import type { DocumentStore } from '../../../src-main/api/gateway/index.js'
import { TokenDocuments } from '../../../src-main/api/gateway/token-documents.js'
import type { Collection } from '../../../src-main/api/gateway/token-documents.js'
import { formatTokenDocument } from '../../../src-main/marine/index.js'
import { loadCountingFormatter } from '../../helpers/counting-formatter.js'
import type { CountingFormatter } from '../../helpers/counting-formatter.js'
import { testLog } from '../../helpers/logger.js'
import { COLLECTION, createImportRig } from '../../lineage/import/setup.js'
import type { ImportRig } from '../../lineage/import/setup.js'
import { keptDocuments } from '../../helpers/kept-documents.js'

const TOKENS = 5_000
/** About 300 of these documents: a read of every token goes through the cache many times over. */
const CACHE_BYTES = 300 * 700
/** Heap growth allowed beyond the cache's limit (V8's own bookkeeping, compiled code, statement caches). */
const HEAP_SLACK_BYTES = 1024 * 1024

/** The heap in use after a full collection (gc exposed on demand, as --expose-gc would). */
function heapAfterGc (): number {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

describe('gateway reads over a collection bigger than its cache', () => {
  let rig: ImportRig
  let formatter: CountingFormatter
  const running: Array<{ background: BackgroundFormatter, documents: TokenDocuments, stored: DocumentStore }> = []

  /** A gateway's documents as a (re)started node builds them, with a small cache. */
  const gateway = (maxChanges?: number): { documents: TokenDocuments, background: BackgroundFormatter, stored: DocumentStore } => {
    const stored = createDocumentStore(rig.store.db, { formatterId: 'scale', flushDelayMs: 5 })
    const documents = new TokenDocuments({ lineage: rig.lineage, formatter, stored }, { maxDocuments: TOKENS, maxBytes: CACHE_BYTES, maxKeys: 100, ...maxChanges === undefined ? {} : { maxChanges } })
    documents.start()
    const background = new BackgroundFormatter({ documents, stored, log: testLog }, { sliceMs: 2, pageRows: 256, idleMs: 20 })
    background.start()
    running.push({ background, documents, stored })
    return { documents, background, stored }
  }
  const stopAll = (): void => {
    for (const { background, documents } of running.splice(0)) {
      background.stop()
      documents.stop()
    }
  }
  const collectionOf = (documents: TokenDocuments): Collection => {
    const collection = documents.collectionAt(COLLECTION.chain_id, COLLECTION.token_address)
    if (collection === undefined) throw new Error('collection not bound')
    return collection
  }
  /** What the gateway served before kept rows were read: the token formatted from its slots, the ETag from its heads. */
  const made = (tokenId: string): { json: string, etag: string } => {
    const slots = rig.lineage.slots(rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, tokenId), 'erc721')
    const result = formatTokenDocument(formatter, tokenId, slots)
    if (!result.ok) throw new Error(result.error)
    const heads = slots.map(s => s.head_cid).sort().join(',')
    return { json: result.json, etag: `"${bytesToHex(sha256(new TextEncoder().encode(heads))).slice(0, 32)}"` }
  }

  beforeAll(async () => {
    rig = await createImportRig()
    formatter = await loadCountingFormatter()
    const folder = path.join(rig.dir, 'collection')
    fs.mkdirSync(folder)
    for (let id = 1; id <= TOKENS; id++) fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify({ name: `Token ${id}`, description: 'x'.repeat(id % 200), attributes: [{ trait_type: 'n', value: id }] }))
    const { job } = await rig.importer.create({ source: folder, ...COLLECTION, meta_contract_id: 'erc721', public_key: rig.signer.publicKey })
    expect(await rig.importer.run(job, { signer: rig.signer })).toMatchObject({ state: 'done', applied: TOKENS })
  }, 60_000)
  afterAll(async () => {
    stopAll()
    formatter.terminate()
    await rig.close()
  })

  it('keeps every token, then reads each one from its kept row: no format, the cache within its limit, the same bytes and ETags', async () => {
    await gateway().background.idle()
    expect(formatter.calls).toBe(TOKENS)
    expect(rig.count('SELECT count(*) AS n FROM token_documents')).toBe(TOKENS)
    stopAll()

    // Restarted: nothing in memory; reads come from the kept rows, and a token read again is held.
    formatter.calls = 0
    const restarted = gateway()
    await restarted.background.idle()
    expect(formatter.calls).toBe(0)
    expect(restarted.documents.size).toBe(0)
    const slots = vi.spyOn(rig.lineage, 'slots')
    const collection = collectionOf(restarted.documents)
    const served = new Map<string, { json: string, etag: string }>()
    let mostBytes = 0
    let mostEntries = 0
    for (let pass = 0; pass < 2; pass++) {
      for (let id = 1; id <= TOKENS; id++) {
        const document = restarted.documents.document(collection, String(id))
        if (!document.found) throw new Error(`token ${id} not found`)
        if (pass === 1) expect({ json: document.json, etag: document.etag }).toEqual(served.get(String(id)))
        served.set(String(id), { json: document.json, etag: document.etag })
        mostBytes = Math.max(mostBytes, restarted.documents.bytes)
        mostEntries = Math.max(mostEntries, restarted.documents.size)
      }
      // The first pass read each token once: none was let in (a collision may let a few).
      if (pass === 0) expect(restarted.documents.size).toBeLessThan(TOKENS / 50)
    }
    expect(formatter.calls).toBe(0)
    expect(slots).not.toHaveBeenCalled()
    slots.mockRestore()
    expect(mostBytes).toBeLessThanOrEqual(CACHE_BYTES)
    // Bounded by bytes, not by the entry limit (which is the whole collection here): the second pass filled it.
    const typical = served.get('100')
    expect(mostEntries).toBeLessThan(TOKENS / 10)
    expect(mostEntries).toBeGreaterThanOrEqual(Math.floor(CACHE_BYTES / entryBytes({ found: true, tokenKey: '', dataKey: '', ...typical ?? { json: '', etag: '' } })) - 50)

    for (let id = 1; id <= TOKENS; id++) expect(served.get(String(id)), `token ${id}`).toEqual(made(String(id)))
  }, 60_000)

  it('reads every token twice over without the heap growing past the cache limit', async () => {
    // Before the gateway exists: everything it holds counts.
    const baseline = heapAfterGc()
    const { documents, background } = gateway()
    await background.idle()
    const collection = collectionOf(documents)
    const read = (from: number, to: number): void => {
      for (let id = from; id <= to; id++) {
        if (!documents.document(collection, String(id)).found) throw new Error(`token ${id} not found`)
      }
    }
    let mostBytes = 0
    for (let pass = 0; pass < 2; pass++) {
      for (let id = 1; id <= TOKENS; id += 500) {
        read(id, id + 499)
        mostBytes = Math.max(mostBytes, documents.bytes)
      }
    }
    const grown = heapAfterGc() - baseline
    expect(mostBytes).toBeLessThanOrEqual(CACHE_BYTES)
    // Kept whole (the byte bound removed), the 5,000 documents grew the heap by 3.8 MB; here the
    // cache may hold its limit, and the rest is slack for the gateway's own objects and code.
    expect(grown).toBeLessThan(CACHE_BYTES + HEAP_SLACK_BYTES)
    stopAll()
  }, 60_000)

  it('a crawl reading every token once leaves the tokens read again in memory', async () => {
    const { documents, background } = gateway()
    await background.idle()
    const collection = collectionOf(documents)
    const hot = ['17', '2500', '4999']
    for (let i = 0; i < 2; i++) for (const id of hot) documents.document(collection, id)
    const held = documents.size
    expect(held).toBe(hot.length)
    // A marketplace crawl: every token once, ten times the cache's bytes.
    for (let id = 1; id <= TOKENS; id++) {
      if (!hot.includes(String(id))) documents.document(collection, String(id))
    }
    expect(documents.size).toBeLessThan(TOKENS / 50)
    const stored = running.at(-1)?.stored
    if (stored === undefined) throw new Error('no gateway')
    const reads = vi.spyOn(stored, 'current')
    for (const id of hot) expect(documents.document(collection, id)).toMatchObject({ found: true, ...made(id) })
    expect(reads).not.toHaveBeenCalled()
    reads.mockRestore()
    stopAll()
  }, 60_000)

  it('serves an edit at once, whether the token was cached, kept only, or edited while no gateway ran', async () => {
    const { documents, background } = gateway()
    await background.idle()
    const collection = collectionOf(documents)
    const edit = async (tokenId: string, name: string): Promise<void> => {
      const { job } = await rig.importer.create({ source: await editFolder(tokenId, name), ...COLLECTION, meta_contract_id: 'erc721', public_key: rig.signer.publicKey })
      expect(await rig.importer.run(job, { signer: rig.signer })).toMatchObject({ state: 'done', applied: 1 })
    }
    const editFolder = async (tokenId: string, name: string): Promise<string> => {
      const folder = fs.mkdtempSync(path.join(rig.dir, 'edit-'))
      fs.writeFileSync(path.join(folder, `${tokenId}.json`), JSON.stringify({ name }))
      return folder
    }
    const read = (target: TokenDocuments, tokenId: string): { json: string, etag: string } => {
      const document = target.document(collectionOf(target), tokenId)
      if (!document.found) throw new Error(`token ${tokenId} not found`)
      return { json: document.json, etag: document.etag }
    }

    // Token 7 just read (cached); token 4,000 only kept in SQLite (the cache holds the latest reads).
    const cachedBefore = read(documents, '7')
    for (let id = 1_000; id < 1_400; id++) documents.document(collection, String(id))
    read(documents, '7')
    const keptBefore = made('4000')
    await edit('7', 'Seven, edited')
    await edit('4000', 'Four thousand, edited')
    // Read before the background refresh could run: the kept rows are stale and must not be served.
    const seven = read(documents, '7')
    const fourThousand = read(documents, '4000')
    expect(JSON.parse(seven.json)).toEqual({ name: 'Seven, edited' })
    expect(JSON.parse(fourThousand.json)).toEqual({ name: 'Four thousand, edited' })
    expect(seven.etag).not.toBe(cachedBefore.etag)
    expect(fourThousand.etag).not.toBe(keptBefore.etag)
    expect(seven).toEqual(made('7'))
    expect(fourThousand).toEqual(made('4000'))
    await background.idle()
    stopAll()

    // Edited while no gateway ran: the restarted gateway serves the new bytes on its first read.
    await edit('4001', 'Four thousand and one, edited')
    const restarted = gateway()
    expect(JSON.parse(read(restarted.documents, '4001').json)).toEqual({ name: 'Four thousand and one, edited' })
    expect(read(restarted.documents, '4001')).toEqual(made('4001'))
    await restarted.background.idle()
    stopAll()
  }, 60_000)

  it('after more changed tokens than it remembers, the refresh walks the slots and makes exactly those again', async () => {
    const { background } = gateway(2)
    await background.idle()
    const folder = fs.mkdtempSync(path.join(rig.dir, 'bulk-'))
    for (const id of [11, 12, 13, 14]) fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify({ name: `Bulk ${id}` }))
    formatter.calls = 0
    const { job } = await rig.importer.create({ source: folder, ...COLLECTION, meta_contract_id: 'erc721', public_key: rig.signer.publicKey })
    expect(await rig.importer.run(job, { signer: rig.signer })).toMatchObject({ state: 'done', applied: 4 })
    await background.idle()
    expect(formatter.calls).toBe(4)
    const kept = keptDocuments(rig.store.db).filter(d => d.formatter === 'scale')
    for (const id of [11, 12, 13, 14]) expect(JSON.parse(kept.find(d => d.tokenId === String(id))?.json ?? '{}')).toEqual({ name: `Bulk ${id}` })
    expect(kept).toHaveLength(TOKENS)
    stopAll()
  }, 60_000)
})
