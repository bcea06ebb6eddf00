import { describe, expect, it } from 'vitest'
import { ledgerReads } from '../../src-main/lineage/tokens/ledger-reads.js'
import type { KeptDocumentWrite } from '../../src-main/lineage/tokens/ledger-reads.js'
import { keptDocuments } from '../helpers/kept-documents.js'
import { schemaStores } from '../helpers/schema-stores.js'

/** A document like a collection's: the same keys, description and trait names, its own values. */
function documentOf (id: number): string {
  return JSON.stringify({
    attributes: [{ trait_type: 'face', value: ['sleepy', 'happy', 'sad'][id % 3] }, { trait_type: 'hair', value: ['green', 'red'][id % 2] }],
    description: 'A community-driven collectibles project. Each token is unique and hand drawn, with its own face and hair.',
    image: `ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/${id}.png`,
    name: `Doodle #${id}`,
  })
}

describe('product migration 27 (kept documents deflated against their collection\'s dictionary)', () => {
  const { open, close, newDir } = schemaStores()
  const insertSlot = `INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
    VALUES (?, 'open', 'pk', '', 'v1', 'tk', ?, ?, 1, 'tx', 0)`

  it('drops the old memos; documents kept after it read back byte for byte, smaller, current for their slots and their formatter build only', () => {
    const dir = newDir()
    const old = open(dir, 26)
    old.db.prepare(insertSlot).run('dk1', '1', 'bafy1')
    old.db.prepare("INSERT INTO token_documents (data_key, token_key, token_id, meta_contract_id, formatter, heads, etag, json) VALUES ('dk1', 'tk', '1', 'open', 'f', 'bafy1', '\"e\"', '{}')").run()
    close(old)

    const store = open(dir, 27)
    const db = store.db
    expect(db.prepare('SELECT count(*) FROM token_documents').pluck().get()).toBe(0)
    expect(db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all('token_documents'))
      .toEqual(['dictionary', 'token_id', 'data_key', 'meta_contract_id', 'etag', 'body'])

    const slot = db.prepare(insertSlot)
    for (let id = 2; id <= 40; id++) slot.run(`dk${id}`, String(id), `bafy${id}`)
    const reads = ledgerReads(db)
    const write = (id: number, formatter = 'build-1', heads = `bafy${id}`): KeptDocumentWrite =>
      ({ dataKey: `dk${id}`, tokenKey: 'tk', tokenId: String(id), metaContractId: 'open', formatter, heads, etag: `"e${id}"`, json: documentOf(id) })
    // Token 3's document was made from a head its slot no longer has: it is not kept.
    db.transaction(() => { reads.keepDocuments([write(2), write(3, 'build-1', 'bafyold'), ...Array.from({ length: 37 }, (_, i) => write(i + 4))]) })()

    expect(db.prepare('SELECT token_key, formatter FROM document_dictionaries').all()).toEqual([{ token_key: 'tk', formatter: 'build-1' }])
    const kept = keptDocuments(db)
    expect(kept.map(d => d.tokenId).sort((a, b) => Number(a) - Number(b))).toEqual([2, ...Array.from({ length: 37 }, (_, i) => i + 4)].map(String))
    for (const d of kept) expect(d.json).toBe(documentOf(Number(d.tokenId)))
    // What the gateway reads: by token id, the contract and the build that made it.
    expect(reads.keptDocumentOfToken('tk', '7', 'open', 'build-1')).toEqual({ dataKey: 'dk7', etag: '"e7"', json: documentOf(7) })
    expect(reads.keptDocumentOfToken('tk', '7', 'open', 'build-2')).toBeUndefined()
    expect(reads.keptDocumentOfToken('tk', '7', 'erc721', 'build-1')).toBeUndefined()
    expect(reads.keptDocumentOfToken('tk', '3', 'open', 'build-1')).toBeUndefined()

    // Alike documents take a fraction of their bytes.
    const sizes = db.prepare('SELECT sum(length(body)) AS body FROM token_documents').get() as { body: number }
    const plain = kept.reduce((n, d) => n + Buffer.byteLength(d.json), 0)
    expect(sizes.body).toBeLessThan(plain / 4)

    // Another formatter build keeps its own dictionary, and its document replaces the token's (one
    // a token); the walk sees which tokens each build lacks: 1 (none kept), 3 (stale) and 5.
    db.transaction(() => { reads.keepDocuments([write(5, 'build-2')]) })()
    expect(db.prepare('SELECT formatter FROM document_dictionaries ORDER BY id').pluck().all()).toEqual(['build-1', 'build-2'])
    expect(reads.keptDocumentOfToken('tk', '5', 'open', 'build-2')?.json).toBe(documentOf(5))
    expect(reads.keptDocumentOfToken('tk', '5', 'open', 'build-1')).toBeUndefined()
    // Only a bound collection's tokens count, under the contract it is bound to.
    expect(reads.unkeptSpan.get('build-1', 0, 1000)).toEqual({ last: 40, unkept: 0 })
    db.prepare("INSERT INTO contract_bindings (token_key, chain_id, token_address, meta_contract_id, public_key, data, tx_hash, updated_at) VALUES ('tk', '1', '0xaa', 'open', 'pk', '{}', 'tx', 0)").run()
    expect(reads.unkeptSpan.get('build-1', 0, 1000)).toEqual({ last: 40, unkept: 3 })
    expect(reads.incompleteCollections('build-1')).toBe(1)
    expect(reads.unkeptSpan.get('build-2', 0, 1000)).toEqual({ last: 40, unkept: 39 })
    expect(reads.unkeptSpan.get('build-1', 10, 1000)).toEqual({ last: 40, unkept: 0 })
    expect(reads.unkeptSpan.get('build-1', 0, 4)).toEqual({ last: 4, unkept: 2 })
    const page = reads.slotsToKeepAfter.all('build-1', 2, 3)
    expect(page.map(r => [r.token, r.tokenId, r.kept])).toEqual([[3, '3', 0], [4, '4', 1], [5, '5', 0]])
    db.prepare("UPDATE contract_bindings SET meta_contract_id = 'erc721'").run()
    expect(reads.unkeptSpan.get('build-1', 0, 1000)).toEqual({ last: 40, unkept: 40 })
    db.prepare("UPDATE contract_bindings SET meta_contract_id = 'open'").run()
    // Once every token has its document, a count per collection says so without a walk.
    db.transaction(() => { reads.keepDocuments([1, 3, 5].map(id => write(id))) })()
    expect(reads.unkeptSpan.get('build-1', 0, 1000)).toEqual({ last: 40, unkept: 0 })
    expect(reads.incompleteCollections('build-1')).toBe(0)
    expect(reads.incompleteCollections('build-2')).toBe(1)

    // A slot change deletes its token's kept document in the same transaction (migration 14).
    db.prepare("UPDATE slots SET head_cid = 'bafynew' WHERE data_key = 'dk7'").run()
    expect(reads.keptDocumentOfToken('tk', '7', 'open', 'build-1')).toBeUndefined()
    // A damaged row reads as none (the gateway formats the token again and its write replaces it).
    db.prepare("UPDATE token_documents SET body = x'00ff00ff' WHERE data_key = 'dk9'").run()
    expect(reads.keptDocumentOfToken('tk', '9', 'open', 'build-1')).toBeUndefined()
    // The token's slot gone, its row goes too.
    expect(reads.keptDocumentOfToken('tk', '8', 'open', 'build-1')?.json).toBe(documentOf(8))
    db.prepare("DELETE FROM slots WHERE data_key = 'dk8'").run()
    expect(db.prepare("SELECT count(*) FROM token_documents WHERE data_key = 'dk8'").pluck().get()).toBe(0)
    // A gateway read is one seek of the table's key (dictionary, token_id), WITHOUT ROWID.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT etag, body FROM token_documents WHERE dictionary = 1 AND token_id = '9' AND meta_contract_id = 'open'").all() as Array<{ detail: string }>
    expect(plan.map(p => p.detail)).toEqual(['SEARCH token_documents USING PRIMARY KEY (dictionary=? AND token_id=?)'])
    expect(store.integrityCheck()).toBe('ok')
  })
})
