import { describe, expect, it } from 'vitest'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src-main/store/index.js'
import type { Store } from '../../src-main/store/index.js'
import { TOKEN_ORDER_SQL } from '../../src-main/lineage/tokens/index.js'
import { schemaStores } from '../helpers/schema-stores.js'

describe('product migrations 4, 5, 10, 11, 13, 14 and 17', () => {
  // Data dirs left by a node at a given schema version, reopened by this one.
  const { open, close, newDir } = schemaStores()
  const insertSlot = (store: Store, tokenId: string): void => {
    store.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES (?, 'open', 'pk', '', 'v1', 'tk', ?, 'bafy', 1, 'tx', 0)`).run(`dk${tokenId}`, tokenId)
  }

  it('4 indexes the numeric token order of a database that already holds slots, and list queries seek it', () => {
    const dir = newDir()
    const old = open(dir, 3)
    for (const id of ['10', '9', '100', '2']) insertSlot(old, id)
    close(old)

    const store = open(dir, 4)
    expect(store.schemaVersion).toBe(4)
    const index = store.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'slots_token_order'").pluck().get() as string
    expect(index).toContain("printf('%02d', length(token_id)) || token_id")
    const ordered = store.db.prepare(`SELECT token_id FROM slots WHERE token_key = 'tk' AND ${TOKEN_ORDER_SQL} > '' ORDER BY ${TOKEN_ORDER_SQL}`).pluck().all()
    expect(ordered).toEqual(['2', '9', '10', '100'])
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN SELECT token_id FROM slots WHERE token_key = ? AND ${TOKEN_ORDER_SQL} > ? ORDER BY ${TOKEN_ORDER_SQL}`).all('tk', '019') as Array<{ detail: string }>
    expect(plan.map(p => p.detail).join('\n')).toMatch(/slots_token_order \(token_key=\? AND <expr>>\?\)/)
    expect(store.integrityCheck()).toBe('ok')
  })

  it('5 creates the registry write log, where a (public_key, nonce) pair is used once', () => {
    const store = open(newDir(), 5)
    const columns = store.db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all('registry_writes')
    expect(columns).toEqual(['seq', 'hash', 'registry_id', 'registry_name', 'meta_contract_id', 'public_key', 'nonce', 'signature', 'timestamp'])
    const insert = store.db.prepare(`INSERT INTO registry_writes (hash, registry_id, registry_name, meta_contract_id, public_key, nonce, signature, timestamp)
      VALUES (?, '0x01', 'name', 'open', 'pk', ?, 'sig', 0)`)
    insert.run('h1', 'nonce-aaaaaaaaaaaa')
    expect(() => insert.run('h2', 'nonce-aaaaaaaaaaaa')).toThrowError(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))
    expect(() => insert.run('h1', 'nonce-bbbbbbbbbbbb')).toThrowError(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))
    expect(store.db.prepare('SELECT count(*) FROM registry_writes').pluck().get()).toBe(1)
  })

  it('10 indexes the applied transactions of a database that already holds some by time, and complete-transaction pages seek it', () => {
    const dir = newDir()
    const old = open(dir, 9)
    const insert = old.db.prepare(`INSERT INTO transactions (hash, method, meta_contract_id, token_key, data_key, chain_id, token_address, token_id, alias, version, public_key, nonce, data, mcdata, signature, timestamp, status)
      VALUES (?, 'metadata', 'open', 'tk', 'dk', '1', '0x', '1', '', 'v1', 'pk', ?, '{}', '', 'sig', ?, ?)`)
    const rows: Array<[string, number, string]> = [['c'.repeat(64), 30, 'applied'], ['a'.repeat(64), 10, 'applied'], ['b'.repeat(64), 10, 'rejected'], ['d'.repeat(64), 20, 'pending'], ['e'.repeat(64), 10, 'applied']]
    rows.forEach(([hash, timestamp, status], i) => insert.run(hash, `nonce-${String(i).padStart(12, '0')}`, timestamp, status))
    close(old)

    const store = open(dir, 10)
    expect(store.schemaVersion).toBe(10)
    const index = store.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'transactions_applied_time'").pluck().get() as string
    expect(index).toContain("WHERE status = 'applied'")
    const page = "SELECT hash FROM transactions WHERE status = 'applied' AND (timestamp, hash) > (?, ?) AND timestamp <= ? ORDER BY timestamp, hash LIMIT ?"
    expect(store.db.prepare(page).pluck().all(0, '', 100, 10)).toEqual(['a'.repeat(64), 'e'.repeat(64), 'c'.repeat(64)])
    expect(store.db.prepare(page).pluck().all(10, 'a'.repeat(64), 100, 10)).toEqual(['e'.repeat(64), 'c'.repeat(64)])
    // As lineage/search asks it: whole rows.
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${page.replace('SELECT hash', 'SELECT *')}`).all(0, '', 100, 10) as Array<{ detail: string }>
    expect(plan.map(p => p.detail).join('\n')).toMatch(/USING INDEX transactions_applied_time/)
    expect(plan.map(p => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/)
    expect(store.integrityCheck()).toBe('ok')
  })

  it('11 adds the receipts\' unchanged flag and brings stored contract addresses to lower case, keeping every other byte', () => {
    const dir = newDir()
    const old = open(dir, 9)
    const mixed = '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D'
    old.db.prepare(`INSERT INTO transactions (hash, method, meta_contract_id, token_key, data_key, chain_id, token_address, token_id, alias, version, public_key, nonce, data, mcdata, signature, timestamp, status)
      VALUES (?, 'metadata', 'erc721', 'tk', 'dk', '1', ?, '42', '', 'v1', '0xabc', ?, '{}', '', 'sig', 1764000000000, 'applied')`).run('h1', mixed, 'nonce-aaaaaaaaaaaa')
    old.db.prepare(`INSERT INTO transactions (hash, method, meta_contract_id, token_key, data_key, chain_id, token_address, token_id, alias, version, public_key, nonce, data, mcdata, signature, timestamp, status)
      VALUES (?, 'contract', 'erc721', 'tk', '', '1', ?, '', '', '', '0xabc', ?, '{}', '', 'sig', 1763000000000, 'applied')`).run('h0', mixed.toLowerCase(), 'nonce-bbbbbbbbbbbb')
    old.db.prepare("INSERT INTO receipts (hash, status, reason, heads, timestamp) VALUES ('h1', 'applied', '', '[\"bafy\"]', 5)").run()
    old.db.prepare("INSERT INTO contract_bindings (token_key, chain_id, token_address, meta_contract_id, public_key, data, tx_hash, updated_at) VALUES ('tk', '1', ?, 'erc721', '0xabc', '{}', 'h0', 0)").run(mixed)
    old.db.prepare("INSERT INTO follows (token_key, chain_id, token_address, auto, added_at) VALUES ('tk', '1', ?, 1, 0)").run(mixed)
    const rowsBefore = old.db.prepare('SELECT * FROM transactions ORDER BY hash').all() as Array<Record<string, unknown>>
    close(old)

    const store = open(dir, 11)
    expect(store.schemaVersion).toBe(11)
    const lower = mixed.toLowerCase()
    const rows = store.db.prepare('SELECT * FROM transactions ORDER BY hash').all() as Array<Record<string, unknown>>
    expect(rows).toEqual(rowsBefore.map(r => ({ ...r, token_address: lower })))
    expect(store.db.prepare('SELECT token_address FROM contract_bindings').pluck().get()).toBe(lower)
    expect(store.db.prepare('SELECT token_address FROM follows').pluck().get()).toBe(lower)
    expect(store.db.prepare('SELECT * FROM receipts').get()).toEqual({ hash: 'h1', status: 'applied', reason: '', heads: '["bafy"]', timestamp: 5, unchanged: 0 })
    store.db.prepare("INSERT INTO receipts (hash, status, reason, heads, timestamp, unchanged) VALUES ('h0', 'applied', '', '[]', 6, 1)").run()
    expect(() => store.db.prepare("UPDATE receipts SET unchanged = 2 WHERE hash = 'h0'").run()).toThrowError(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }))
    expect(store.integrityCheck()).toBe('ok')
  })

  it('13 adds the snapshots table to a database that already holds pins, one row per collection and root, listed newest first by index', () => {
    const dir = newDir()
    const old = open(dir, 12)
    old.db.prepare("INSERT INTO pins (cid, recursive, name, created_at) VALUES ('bafyroot', 1, 'kept', 1)").run()
    close(old)

    const store = open(dir, 13)
    expect(store.schemaVersion).toBe(13)
    expect(store.db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all('snapshots')).toEqual(['token_key', 'root_cid', 'chain_id', 'token_address', 'created_at', 'tokens', 'bytes', 'json_suffix', 'sharded'])
    const insert = store.db.prepare("INSERT INTO snapshots (token_key, root_cid, chain_id, token_address, created_at, tokens, bytes, json_suffix, sharded) VALUES ('tk', ?, '1', '0xaa', ?, 3, 900, ?, 0)")
    insert.run('bafyone', 10, 0)
    insert.run('bafytwo', 20, 1)
    expect(() => insert.run('bafyone', 30, 0)).toThrowError(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }))
    expect(() => insert.run('bafythree', 30, 2)).toThrowError(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }))
    const newest = "SELECT root_cid FROM snapshots WHERE token_key = 'tk' ORDER BY created_at DESC"
    expect(store.db.prepare(newest).pluck().all()).toEqual(['bafytwo', 'bafyone'])
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${newest}`).all() as Array<{ detail: string }>
    expect(plan.map(p => p.detail).join('\n')).toMatch(/snapshots_created/)
    expect(store.db.prepare('SELECT name FROM pins').pluck().all()).toEqual(['kept'])
    expect(store.integrityCheck()).toBe('ok')
  })

  it('14 deletes kept documents already stale, then keeps the rest in step with the slots and finds them by token id', () => {
    const dir = newDir()
    const old = open(dir, 13)
    for (const id of ['1', '2', '3']) insertSlot(old, id)
    const keep = (into: Store, dataKey: string, tokenId: string, heads: string): void => {
      into.db.prepare("INSERT INTO token_documents (data_key, token_key, token_id, meta_contract_id, formatter, heads, etag, json) VALUES (?, 'tk', ?, 'open', 'f', ?, '\"e\"', '{}')").run(dataKey, tokenId, heads)
    }
    keep(old, 'dk1', '1', 'bafy')
    keep(old, 'dk2', '2', 'bafyold')
    keep(old, 'dk3', '3', 'bafy')
    close(old)

    const store = open(dir, 14)
    expect(store.schemaVersion).toBe(14)
    const kept = (): string[] => store.db.prepare('SELECT token_id FROM token_documents ORDER BY token_id').pluck().all() as string[]
    expect(kept()).toEqual(['1', '3'])
    const byToken = "SELECT json FROM token_documents WHERE token_key = 'tk' AND token_id = '1'"
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${byToken}`).all() as Array<{ detail: string }>
    expect(plan.map(p => p.detail).join('\n')).toMatch(/token_documents_token/)
    // A new head, a new slot of the token, and a deleted slot each delete its kept document.
    store.db.prepare("UPDATE slots SET head_cid = 'bafynew' WHERE data_key = 'dk1'").run()
    expect(kept()).toEqual(['3'])
    keep(store, 'dk1', '1', 'bafynew')
    expect(kept()).toEqual(['1', '3'])
    store.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES ('dk1', 'open', 'pk2', '', 'v1', 'tk', '1', 'bafyfan', 1, 'tx', 0)`).run()
    expect(kept()).toEqual(['3'])
    store.db.prepare("DELETE FROM slots WHERE data_key = 'dk3'").run()
    expect(kept()).toEqual([])
    expect(store.integrityCheck()).toBe('ok')
  })

  it('17 lets a list_tokens page read the numeric-order index alone, with the same rows in the same order', () => {
    const dir = newDir()
    const old = open(dir, 16)
    for (const id of ['10', '9', '100', '2', '9']) {
      old.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
        VALUES (?, 'open', ?, '', 'v1', 'tk', ?, 'bafy', 1, 'tx', ?)`).run(`dk${id}`, `pk${old.db.prepare('SELECT count(*) FROM slots').pluck().get() as number}`, id, Number(id) * 10)
    }
    const page = `SELECT token_id, min(data_key) AS data_key, count(*) AS slots, max(updated_at) AS updated_at FROM slots
      WHERE token_key = 'tk' AND ${TOKEN_ORDER_SQL} > ? GROUP BY ${TOKEN_ORDER_SQL} ORDER BY ${TOKEN_ORDER_SQL} LIMIT 10`
    const before = old.db.prepare(page).all('')
    close(old)

    const store = open(dir, 17)
    expect(store.schemaVersion).toBe(17)
    expect(store.db.prepare(page).all('')).toEqual(before)
    expect(before).toEqual([
      { token_id: '2', data_key: 'dk2', slots: 1, updated_at: 20 },
      { token_id: '9', data_key: 'dk9', slots: 2, updated_at: 90 },
      { token_id: '10', data_key: 'dk10', slots: 1, updated_at: 100 },
      { token_id: '100', data_key: 'dk100', slots: 1, updated_at: 1000 },
    ])
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${page}`).all('019') as Array<{ detail: string }>
    expect(plan.map(p => p.detail).join('\n')).toBe('SEARCH slots USING COVERING INDEX slots_token_order (token_key=? AND <expr>>?)')
    expect(store.integrityCheck()).toBe('ok')
  })

  it('are the latest, numbered without gaps', () => {
    expect(MIGRATIONS.map(m => m.version)).toEqual(Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1))
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(5)
  })
})
