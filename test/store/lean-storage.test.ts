import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeVersionBlock, verifyBlock } from '../../src-main/dag/index.js'
import { MIGRATIONS, createBlockstore, createStore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import type { Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

const HASH = 'e86afea80cd3fd4386d8df7ac1b4727bdf00e2f2a2572c4eea972cec3c725c6d'
const DATA = JSON.stringify({ name: 'Doodle #1', description: 'A community-driven collectibles project.', attributes: [{ trait_type: 'face', value: 'grin' }] })

/** The transaction HASH carrying DATA, as its row holds what a version block copies. */
const TX = { hash: HASH, timestamp: 1000, meta_contract_id: 'erc721', method: 'metadata', data: DATA }

/** The version block the validator writes for TX. */
const versionBlock = (): { cid: CID, bytes: Uint8Array } => encodeVersionBlock({
  timestamp: 1000,
  content: JSON.parse(DATA),
  transaction: { hash: HASH, timestamp: 1000, meta_contract_id: 'erc721', method: 'metadata', value: DATA },
})

function insertTransaction (store: Store, hash = HASH, data = DATA): void {
  store.db.prepare(`INSERT INTO transactions (hash, method, meta_contract_id, token_key, data_key, chain_id, token_address, token_id, alias, version, public_key, nonce, data, mcdata, signature, timestamp, status)
    VALUES (?, 'metadata', 'erc721', 'tk', 'dk', '1', '0xaa', '1', '', 'v1', 'pk', ?, ?, '', 'sig', 1000, 'applied')`).run(hash, `nonce-${hash}`, data)
}

const stored = (store: Store, cid: CID): { length: number, size: number, elided_tx: string | null, elided_content: number } =>
  store.db.prepare('SELECT length(bytes) AS length, size, iif(elided_tx IS NULL, NULL, lower(hex(elided_tx))) AS elided_tx, elided_content FROM blocks WHERE multihash = ?').get(cid.multihash.bytes) as never

describe('version blocks kept without their transaction\'s data, and migration 16', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })
  const open = (dir: string, version = MIGRATIONS.length): Store => {
    const store = createStore({ log: testLog }, { dataDir: dir, migrations: MIGRATIONS.slice(0, version) })
    store.start()
    cleanups.unshift(() => { store.stop() })
    return store
  }
  const newDir = (): string => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    return t.dir
  }

  it('stores a version block put with its transaction in far fewer bytes, and every read gives the whole block its CID proves', async () => {
    const store = open(newDir())
    const blocks = createBlockstore(store, { transactionRows: ledgerReads })
    insertTransaction(store)
    const block = versionBlock()
    expect(blocks.putSync(block.cid, block.bytes, TX)).toBe(true)

    const row = stored(store, block.cid)
    expect(row).toMatchObject({ size: block.bytes.byteLength, elided_tx: HASH, elided_content: 1 })
    // What is left: the map's header, its keys and the version's timestamp (no previous version here).
    expect(row.length).toBeLessThan(40)

    const read = blocks.getSync(block.cid)
    expect(read === undefined ? undefined : Buffer.from(read).equals(Buffer.from(block.bytes))).toBe(true)
    if (read !== undefined) expect(verifyBlock(block.cid, read)).toBe(true)
    const all = []
    for await (const pair of blocks.getAll()) for await (const chunk of pair.bytes) all.push({ cid: pair.cid.toString(), ok: verifyBlock(pair.cid, chunk) })
    expect(all).toEqual([{ cid: block.cid.toString(), ok: true }])
    const chunks = []
    for await (const chunk of blocks.get(block.cid)) chunks.push(chunk)
    expect(Buffer.concat(chunks).equals(Buffer.from(block.bytes))).toBe(true)
  })

  it('stores whole a block whose transaction data does not match it, and any block put without one', async () => {
    const store = open(newDir())
    const blocks = createBlockstore(store, { transactionRows: ledgerReads })
    insertTransaction(store)
    const block = versionBlock()
    blocks.putSync(block.cid, block.bytes, { ...TX, data: `${DATA} ` })
    expect(stored(store, block.cid)).toEqual({ length: block.bytes.byteLength, size: block.bytes.byteLength, elided_tx: null, elided_content: 0 })
    // A hash in another spelling than the rows' (lower-case hex) is not elided either.
    const upper = encodeVersionBlock({ timestamp: 1000, content: { u: 1 }, transaction: { hash: HASH.toUpperCase(), timestamp: 1000, meta_contract_id: 'erc721', method: 'metadata', value: '{"u":1}' } })
    blocks.putSync(upper.cid, upper.bytes, { ...TX, hash: HASH.toUpperCase(), data: '{"u":1}' })
    expect(stored(store, upper.cid).elided_tx).toBeNull()
    const bytes = new TextEncoder().encode('plain bytes')
    const rawCid = CID.createV1(raw.code, await sha256.digest(bytes))
    blocks.putSync(rawCid, bytes)
    expect(stored(store, rawCid)).toMatchObject({ length: bytes.byteLength, elided_tx: null })
    expect(Buffer.from(blocks.getSync(block.cid) ?? []).equals(Buffer.from(block.bytes))).toBe(true)
  })

  it('names the damage when the transaction row an elided block needs is gone, for get and getAll', async () => {
    const store = open(newDir())
    const blocks = createBlockstore(store, { transactionRows: ledgerReads })
    insertTransaction(store)
    const block = versionBlock()
    blocks.putSync(block.cid, block.bytes, TX)
    store.db.prepare('DELETE FROM transactions WHERE hash = ?').run(HASH)
    const damage = expect.objectContaining({ name: 'StoreCorruptError', message: expect.stringContaining(`transaction ${HASH}, whose row is missing`) })
    expect(() => blocks.getSync(block.cid)).toThrowError(damage)
    await expect((async () => { for await (const pair of blocks.getAll()) void pair })()).rejects.toThrowError(damage)
  })

  it('16 converts a database made by schema 14: version blocks lose their data copies, receipts are keyed by seq, indexes narrow, nothing else changes', async () => {
    const dir = newDir()
    const old = open(dir, 14)
    insertTransaction(old)
    const other = HASH.replace('e8', 'f8')
    insertTransaction(old, other, '{"b":2}')
    const block = versionBlock()
    // A block whose transaction this node does not hold, and a raw block: both stay whole.
    const foreign = encodeVersionBlock({ timestamp: 1, content: { c: 3 }, transaction: { hash: 'a'.repeat(64), timestamp: 1, meta_contract_id: 'open', method: 'metadata', value: '{"c":3}' } })
    const rawBytes = new TextEncoder().encode('plain bytes')
    const rawCid = CID.createV1(raw.code, await sha256.digest(rawBytes))
    const put = old.db.prepare('INSERT INTO blocks (multihash, codec, bytes, size, created_at) VALUES (?, ?, ?, ?, 0)')
    for (const b of [block, foreign, { cid: rawCid, bytes: rawBytes }]) put.run(b.cid.multihash.bytes, b.cid.code, b.bytes, b.bytes.byteLength)
    const receipt = old.db.prepare('INSERT INTO receipts (hash, status, reason, heads, timestamp, unchanged) VALUES (?, ?, ?, ?, ?, ?)')
    receipt.run(HASH, 'applied', '', JSON.stringify([block.cid.toString()]), 1001, 0)
    receipt.run(other, 'rejected', 'not allowed', '[]', 1002, 0)
    const receiptsBefore = old.db.prepare('SELECT * FROM receipts ORDER BY hash').all()
    old.stop()
    cleanups.shift()

    const store = open(dir, 16)
    expect(store.schemaVersion).toBe(16)
    const blocks = createBlockstore(store, { transactionRows: ledgerReads })
    expect(stored(store, block.cid)).toMatchObject({ elided_tx: HASH, elided_content: 1 })
    expect(stored(store, block.cid).length).toBeLessThan(40)
    expect(stored(store, foreign.cid)).toMatchObject({ length: foreign.bytes.byteLength, elided_tx: null })
    expect(stored(store, rawCid)).toMatchObject({ length: rawBytes.byteLength, elided_tx: null })
    for (const b of [block, foreign, { cid: rawCid, bytes: rawBytes }]) {
      expect(Buffer.from(blocks.getSync(b.cid) ?? []).equals(Buffer.from(b.bytes))).toBe(true)
    }

    expect(store.db.prepare('SELECT * FROM receipts ORDER BY hash').all()).toEqual(receiptsBefore)
    // Receipts are rows keyed by seq now, read by hash through the view: one seek each way.
    expect(store.db.prepare("SELECT type FROM sqlite_master WHERE name = 'receipts'").pluck().get()).toBe('view')
    const byHash = store.db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM receipts WHERE hash = '${HASH}'`).all() as Array<{ detail: string }>
    expect(byHash.map(p => p.detail)).toEqual([
      'SEARCH t USING COVERING INDEX sqlite_autoindex_transactions_1 (hash=?)',
      'SEARCH r USING INTEGER PRIMARY KEY (rowid=?)',
    ])
    expect(() => store.db.prepare("INSERT INTO receipt_rows (seq, status, reason, heads, timestamp) VALUES (999, 'applied', '', '[]', 1)").run())
      .toThrowError(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }))
    // A transaction queued again under a new seq (a rewind) keeps its receipt.
    store.db.prepare('UPDATE transactions SET seq = 50 WHERE hash = ?').run(other)
    expect(store.db.prepare('SELECT reason FROM receipts WHERE hash = ?').pluck().get(other)).toBe('not allowed')
    const applied = store.db.prepare("EXPLAIN QUERY PLAN SELECT * FROM transactions WHERE status = 'applied' AND (timestamp, hash) > (?, ?) AND timestamp <= ? ORDER BY timestamp, hash LIMIT 10").all(0, '', 5000) as Array<{ detail: string }>
    expect(applied.map(p => p.detail).join('\n')).toMatch(/transactions_applied_time \(timestamp>\? AND timestamp<\?\)|transactions_applied_time/)
    const plan = store.db.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM transactions WHERE data_key = 'dk' AND status = 'pending'").all() as Array<{ detail: string }>
    expect(plan.map(p => p.detail).join('\n')).toMatch(/transactions_token_time \(data_key=\?\)/)
    const later = store.db.prepare("EXPLAIN QUERY PLAN SELECT 1 FROM transactions WHERE data_key = 'dk' AND (timestamp, hash) > (1, 'a')").all() as Array<{ detail: string }>
    expect(later.map(p => p.detail).join('\n')).toMatch(/transactions_token_time \(data_key=\? AND timestamp>\?\)/)
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name IN ('transactions_data_key', 'transactions_token_canonical')").all()).toEqual([])
    // Rebuilt after the conversion: the freed space went back to the disk.
    expect(store.db.pragma('freelist_count', { simple: true })).toBe(0)
    expect(store.integrityCheck()).toBe('ok')
  })
})
