import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createDocumentStore } from '../../../src-main/api/gateway/index.js'
import type { DocumentStore } from '../../../src-main/api/gateway/index.js'
import { TokenDocuments } from '../../../src-main/api/gateway/token-documents.js'
import { keepAll } from '../../../src-main/api/gateway/keep-all.js'
import { loadCountingFormatter } from '../../helpers/counting-formatter.js'
import type { CountingFormatter } from '../../helpers/counting-formatter.js'
import { evmSigner } from '../../helpers/signers.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'

const CHAIN = '1'
const ADDRESS = '0x2222222222222222222222222222222222222222'
const OPTIONS = { sliceMs: 2, pageRows: 2, pause: async () => { await new Promise(resolve => setImmediate(resolve)) } } // two rows a page: the walk crosses pages

describe('gateway token documents and the startup walk that keeps them', () => {
  let engine: TestEngine
  let formatter: CountingFormatter
  const owner = evmSigner()
  let documents: TokenDocuments | undefined
  let stored: DocumentStore
  /** Each gateway a build of its own: nothing an earlier test kept counts. */
  let builds = 0

  const publish = async (fields: Record<string, string>): Promise<void> => {
    const request = await owner.sign({ method: 'metadata', chain_id: CHAIN, token_address: ADDRESS, token_id: '1', meta_contract_id: 'open', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
    const { hash } = engine.lineage.publish(request)
    await engine.lineage.settled()
    expect(engine.lineage.receipt(hash)?.status).toBe('applied')
  }
  const open = (maxDocuments = 100): TokenDocuments => {
    stored = createDocumentStore(engine.store.db, { formatterId: `test-${++builds}`, flushDelayMs: 1 })
    documents = new TokenDocuments({ lineage: engine.lineage, formatter, stored }, { maxDocuments, maxKeys: 100 })
    documents.start()
    return documents
  }
  const keep = async (target: TokenDocuments, signal = new AbortController().signal): Promise<number> => {
    const made = await keepAll(stored, target, { signal, ...OPTIONS })
    stored.flush()
    return made
  }

  beforeAll(async () => {
    engine = await startTestEngine(['open', 'erc721'])
    formatter = await loadCountingFormatter()
    await publish({ method: 'contract', token_id: '', data: '{}' })
    for (let id = 1; id <= 5; id++) await publish({ token_id: String(id), data: JSON.stringify({ name: `Token ${id}` }) })
  })
  afterEach(() => {
    documents?.stop()
    vi.restoreAllMocks()
    formatter.calls = 0
  })
  afterAll(async () => {
    formatter.terminate()
    await engine.stop()
  })

  it('makes and keeps every token once ahead of reads; a read formats nothing, and a token read again comes from memory', async () => {
    const target = open()
    expect(await keep(target)).toBe(5)
    expect(formatter.calls).toBe(5)
    // Kept in SQLite, not held in memory: the cache is for what readers ask for.
    expect(target.size).toBe(0)

    formatter.calls = 0
    const slots = vi.spyOn(engine.lineage, 'slots')
    const binding = vi.spyOn(engine.lineage, 'binding')
    const current = vi.spyOn(stored, 'current')
    const collection = target.collectionAt(CHAIN, ADDRESS)
    if (collection === undefined) throw new Error('collection not bound')
    for (let pass = 1; pass <= 3; pass++) {
      for (let id = 1; id <= 5; id++) {
        const document = target.document(collection, String(id))
        expect(document.found && JSON.parse(document.json)).toEqual({ name: `Token ${id}` })
      }
    }
    // Read from the kept rows on the first two passes (the second lets them in), from memory on the third.
    expect(current).toHaveBeenCalledTimes(10)
    expect(target.size).toBe(5)
    expect(formatter.calls).toBe(0)
    expect(slots).not.toHaveBeenCalled()
    expect(binding).not.toHaveBeenCalled()
  })

  it('makes the document again, once, after a transaction on that token applies', async () => {
    const target = open()
    await keep(target)
    const collection = target.collectionAt(CHAIN, ADDRESS)
    if (collection === undefined) throw new Error('collection not bound')
    const before = target.document(collection, '3')
    await publish({ token_id: '3', data: JSON.stringify({ name: 'Token 3', edited: true }) })
    formatter.calls = 0
    const after = target.document(collection, '3')
    expect(after.found && JSON.parse(after.json)).toEqual({ name: 'Token 3', edited: true })
    expect(after.found && before.found && after.etag !== before.etag).toBe(true)
    target.document(collection, '3')
    target.document(collection, '2')
    expect(formatter.calls).toBe(1)
  })

  it('keeps every token however small the cache, holding none of them in memory', async () => {
    const target = open(3)
    expect(await keep(target)).toBe(5)
    expect(target.size).toBe(0)
    expect(formatter.calls).toBe(5)
    expect(await keep(target)).toBe(0)
    expect(formatter.calls).toBe(5)
  })

  it('does nothing once aborted, and caches nothing once stopped', async () => {
    const target = open()
    const aborted = new AbortController()
    aborted.abort()
    expect(await keep(target, aborted.signal)).toBe(0)
    expect(formatter.calls).toBe(0)

    target.stop()
    expect(engine.lineage.listenerCount('applied')).toBe(0)
    const collection = target.collectionAt(CHAIN, ADDRESS)
    if (collection === undefined) throw new Error('collection not bound')
    expect(target.document(collection, '1').found).toBe(true)
    expect(target.size).toBe(0)
  })

  it('skips slots under a contract the collection is no longer bound to', async () => {
    await publish({ method: 'contract', token_id: '', meta_contract_id: 'erc721', data: '{}' })
    await publish({ token_id: '9', meta_contract_id: 'erc721', data: JSON.stringify({ name: 'Nine', image: 'ipfs://nine' }) })
    const target = open()
    await keep(target)
    expect(formatter.calls).toBe(1)
    const collection = target.collectionAt(CHAIN, ADDRESS)
    if (collection === undefined) throw new Error('collection not bound')
    expect(target.document(collection, '1').found).toBe(false)
    const nine = target.document(collection, '9')
    expect(nine.found && JSON.parse(nine.json)).toEqual({ name: 'Nine', image: 'ipfs://nine' })
  })

  it('drops a token the moment a late replicated transaction rewinds it, and ends with the canonical document', async () => {
    const target = open()
    await keep(target)
    const collection = target.collectionAt(CHAIN, ADDRESS)
    if (collection === undefined) throw new Error('collection not bound')
    expect(target.document(collection, '9').found).toBe(true)
    expect(target.document(collection, '9').found).toBe(true)
    expect(target.size).toBe(1)
    const dataKey = engine.lineage.dataKey(CHAIN, ADDRESS, '9')
    const [head] = engine.lineage.slots(dataKey, 'erc721')
    // Signed offline just before the version held, after the rebind: it rewinds token 9 alone.
    const late = await owner.sign({ method: 'metadata', chain_id: CHAIN, token_address: ADDRESS, token_id: '9', meta_contract_id: 'erc721', alias: '', version: 'v1', data: JSON.stringify({ name: 'Nine, offline', image: 'ipfs://nine' }), mcdata: '', timestamp: (head?.updated_at ?? 0) - 1 })
    const rewinds: unknown[] = []
    engine.lineage.on('rewound', r => rewinds.push(r))
    engine.lineage.publishBatch([late], { replicated: true })
    expect(rewinds).toEqual([{ token_key: collection.tokenKey, data_key: dataKey, transactions: 2 }])
    expect(target.size).toBe(0)
    await engine.lineage.settled()
    const nine = target.document(collection, '9')
    expect(nine.found && JSON.parse(nine.json)).toEqual({ name: 'Nine', image: 'ipfs://nine' })
  })
})
