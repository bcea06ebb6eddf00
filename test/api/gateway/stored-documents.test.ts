// Formatted documents kept in SQLite across restarts: what a restarted gateway may serve without
// formatting, and what it must make again (the token changed, the binding changed, another
// formatter build), and the background refresh after writes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BackgroundFormatter } from '../../../src-main/api/gateway/background-formatter.js'
import { createDocumentStore } from '../../../src-main/api/gateway/index.js'
import type { DocumentStore } from '../../../src-main/api/gateway/index.js'
import { TokenDocuments } from '../../../src-main/api/gateway/token-documents.js'
import { testLog } from '../../helpers/logger.js'
import { loadCountingFormatter } from '../../helpers/counting-formatter.js'
import type { CountingFormatter } from '../../helpers/counting-formatter.js'
import { evmSigner } from '../../helpers/signers.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'
import { keptDocuments } from '../../helpers/kept-documents.js'

const CHAIN = '1'
const ADDRESS = '0x3333333333333333333333333333333333333333'
const TOKENS = 6

describe('gateway documents kept across restarts', () => {
  let engine: TestEngine
  let formatter: CountingFormatter
  const owner = evmSigner()
  const running: Array<{ background: BackgroundFormatter, documents: TokenDocuments }> = []

  const publish = async (fields: Record<string, string>): Promise<void> => {
    const request = await owner.sign({ method: 'metadata', chain_id: CHAIN, token_address: ADDRESS, token_id: '1', meta_contract_id: 'open', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
    const { hash } = engine.lineage.publish(request)
    await engine.lineage.settled()
    expect(engine.lineage.receipt(hash)?.status).toBe('applied')
  }
  /** A gateway's documents as a (re)started node builds them: a walk of the slots makes what is not kept. */
  const gateway = (formatterId = 'build-1', idleMs = 20): { documents: TokenDocuments, background: BackgroundFormatter, stored: DocumentStore } => {
    const stored = createDocumentStore(engine.store.db, { formatterId, flushDelayMs: 5 })
    const documents = new TokenDocuments({ lineage: engine.lineage, formatter, stored }, { maxDocuments: 100, maxKeys: 100 })
    documents.start()
    const background = new BackgroundFormatter({ documents, stored, log: testLog }, { sliceMs: 2, pageRows: 2, idleMs })
    background.start()
    running.push({ background, documents })
    return { documents, background, stored }
  }
  const stopAll = (): void => {
    for (const { background, documents } of running.splice(0)) {
      background.stop()
      documents.stop()
    }
  }
  const read = (documents: TokenDocuments, tokenId: string): unknown => {
    const collection = documents.collectionAt(CHAIN, ADDRESS)
    if (collection === undefined) throw new Error('collection not bound')
    const document = documents.document(collection, tokenId)
    return document.found ? JSON.parse(document.json) : undefined
  }
  const kept = (): number => (engine.store.db.prepare('SELECT count(*) AS n FROM token_documents').get() as { n: number }).n

  beforeAll(async () => {
    engine = await startTestEngine(['open', 'erc721'])
    formatter = await loadCountingFormatter()
    await publish({ method: 'contract', token_id: '', data: '{}' })
    for (let id = 1; id <= TOKENS; id++) await publish({ token_id: String(id), data: JSON.stringify({ name: `Token ${id}` }) })
  })
  afterEach(() => {
    stopAll()
    formatter.calls = 0
  })
  afterAll(async () => {
    formatter.terminate()
    await engine.stop()
  })

  it('keeps every document it makes, and a restart serves them all without formatting one', async () => {
    const first = gateway()
    await first.background.idle()
    expect(formatter.calls).toBe(TOKENS)
    expect(kept()).toBe(TOKENS)
    stopAll()

    formatter.calls = 0
    const restarted = gateway()
    await restarted.background.idle()
    // Nothing is read into memory at start: a read is one SQLite read of the kept row.
    expect(restarted.documents.size).toBe(0)
    for (let id = 1; id <= TOKENS; id++) expect(read(restarted.documents, String(id))).toEqual({ name: `Token ${id}` })
    expect(formatter.calls).toBe(0)
  })

  it('makes again, and keeps, a token that changed while no gateway ran', async () => {
    await gateway().background.idle()
    stopAll()
    await publish({ token_id: '2', data: JSON.stringify({ name: 'Token 2', edited: 1 }) })

    formatter.calls = 0
    const restarted = gateway()
    await restarted.background.idle()
    expect(formatter.calls).toBe(1)
    expect(read(restarted.documents, '2')).toEqual({ name: 'Token 2', edited: 1 })
    stopAll()

    formatter.calls = 0
    await gateway().background.idle()
    expect(formatter.calls).toBe(0)
  })

  it('uses nothing another formatter build made', async () => {
    await gateway('build-1').background.idle()
    stopAll()
    formatter.calls = 0
    const upgraded = gateway('build-2')
    await upgraded.background.idle()
    expect(formatter.calls).toBe(TOKENS)
    expect(read(upgraded.documents, '1')).toEqual({ name: 'Token 1' })
  })

  it('makes a changed token again in the background once writes are quiet, and keeps it', async () => {
    const { documents, background } = gateway('build-1')
    await background.idle()
    formatter.calls = 0
    await publish({ token_id: '4', data: JSON.stringify({ name: 'Token 4', edited: 2 }) })
    await background.idle()
    expect(formatter.calls).toBe(1)
    // The remade document is held for its next read (an edited token is likely read soon).
    expect(documents.size).toBe(1)
    const row = keptDocuments(engine.store.db).find(d => d.tokenId === '4')
    expect(JSON.parse(row?.json ?? '{}')).toEqual({ name: 'Token 4', edited: 2 })
    formatter.calls = 0
    expect(read(documents, '4')).toEqual({ name: 'Token 4', edited: 2 })
    expect(formatter.calls).toBe(0)
  })

  it('serves nothing kept for a collection bound since to another contract', async () => {
    await gateway('build-1').background.idle()
    stopAll()
    await publish({ method: 'contract', token_id: '', meta_contract_id: 'erc721', data: '{}' })
    formatter.calls = 0
    const restarted = gateway('build-1')
    await restarted.background.idle()
    expect(restarted.documents.size).toBe(0)
    expect(read(restarted.documents, '1')).toBeUndefined()
    expect(formatter.calls).toBe(0)
  })
})
