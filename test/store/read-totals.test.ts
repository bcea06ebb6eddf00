import fc from 'fast-check'
import type { Database } from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { createSearch } from '../../src-main/lineage/search/index.js'
import { schemaStores } from '../helpers/schema-stores.js'

/** Every kept number, counted the slow way from the rows themselves. */
function recount (db: Database): unknown {
  const one = (sql: string): unknown => db.prepare(sql).pluck().get()
  return {
    totals: { tokens: one('SELECT count(DISTINCT data_key) FROM slots'), slots: one('SELECT count(*) FROM slots'), transactions: one('SELECT count(*) FROM transactions'), blocks: one('SELECT count(*) FROM blocks'), block_bytes: one('SELECT coalesce(sum(size), 0) FROM blocks') },
    collections: db.prepare('SELECT token_key, count(DISTINCT data_key) AS tokens FROM slots GROUP BY token_key ORDER BY token_key').all(),
    fragments: fragmentsOf(db.prepare('SELECT DISTINCT token_key, token_id FROM slots').all() as Array<{ token_key: string, token_id: string }>),
  }
}

function kept (db: Database): unknown {
  return {
    totals: db.prepare('SELECT tokens, slots, transactions, blocks, block_bytes FROM store_totals').get(),
    collections: db.prepare('SELECT token_key, tokens FROM collection_totals ORDER BY token_key').all(),
    fragments: db.prepare('SELECT token_key, fragment, tokens FROM token_id_fragments ORDER BY token_key, fragment').all(),
  }
}

function fragmentsOf (tokens: Array<{ token_key: string, token_id: string }>): unknown {
  const counts = new Map<string, { token_key: string, fragment: string, tokens: number }>()
  for (const { token_key: key, token_id: id } of tokens) {
    const fragments = new Set<string>()
    for (let i = 0; i < id.length; i++) {
      fragments.add(id.slice(i, i + 1))
      if (i + 2 <= id.length) fragments.add(id.slice(i, i + 2))
    }
    for (const fragment of fragments) {
      const row = counts.get(`${key} ${fragment}`) ?? { token_key: key, fragment, tokens: 0 }
      row.tokens++
      counts.set(`${key} ${fragment}`, row)
    }
  }
  // In the order SQLite's BINARY collation sorts them (ASCII here).
  return [...counts.values()].sort((a, b) => a.token_key < b.token_key ? -1 : a.token_key > b.token_key ? 1 : a.fragment < b.fragment ? -1 : a.fragment > b.fragment ? 1 : 0)
}

const SLOT = `INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
  VALUES (?, 'open', 'pk', ?, 'v1', ?, ?, 'bafy', 1, 'tx', 0)
  ON CONFLICT (data_key, meta_contract_id, public_key, alias, version) DO UPDATE SET head_cid = 'bafy2', updated_at = updated_at + 1`
const TX = `INSERT INTO transactions (hash, method, meta_contract_id, token_key, data_key, chain_id, token_address, token_id, alias, version, public_key, nonce, data, mcdata, signature, timestamp, status)
  VALUES (?, ?, 'open', ?, ?, '1', '0x', ?, '', 'v1', 'pk', ?, '{}', '', 'sig', ?, ?)`
const BLOCK = 'INSERT INTO blocks (multihash, codec, bytes, size, created_at) VALUES (?, 113, ?, ?, 0) ON CONFLICT (multihash) DO NOTHING'

describe('migration 15: kept totals and the token id index', () => {
  // Data dirs left by a node at a given schema version, reopened by this one.
  const { open, close, newDir } = schemaStores()
  const fill = (db: Database, tokenKey: string, ids: string[], extraSlotEvery = 3): void => {
    db.transaction(() => {
      ids.forEach((id, i) => {
        db.prepare(SLOT).run(`${tokenKey}-${id}`, '', tokenKey, id)
        if (i % extraSlotEvery === 0) db.prepare(SLOT).run(`${tokenKey}-${id}`, 'lore', tokenKey, id)
        db.prepare(TX).run(`${tokenKey}-h${id}`, 'metadata', tokenKey, `${tokenKey}-${id}`, id, `n-${tokenKey}-${id}`, i, i % 5 === 0 ? 'rejected' : 'applied')
        db.prepare(BLOCK).run(Buffer.from(`${tokenKey}-${id}`), Buffer.alloc(i % 7 + 1), i % 7 + 1)
      })
    })()
  }

  it('fills the totals of a database that already holds tokens, once, to what counting the rows gives', () => {
    const dir = newDir()
    const old = open(dir, 14)
    fill(old.db, 'tk-a', Array.from({ length: 300 }, (_, i) => String(i * 7)))
    fill(old.db, 'tk-b', ['5', '55', '505', '123456789012345678901234567890'])
    close(old)

    const store = open(dir, 15)
    expect(store.schemaVersion).toBe(15)
    expect(kept(store.db)).toEqual(recount(store.db))
    expect(ledgerReads(store.db).stats()).toMatchObject({ tokens: 304, slots: 406, transactions: 304, blocks: 304 })
    expect(store.db.prepare("SELECT tokens FROM collection_totals WHERE token_key = 'tk-b'").pluck().get()).toBe(4)
    expect(store.db.prepare("SELECT tokens FROM token_id_fragments WHERE token_key = 'tk-b' AND fragment = '55'").pluck().get()).toBe(1)
    // The trigram index names every token whose id holds the trigram, in both collections.
    const holding = store.db.prepare(`SELECT t.token_key, t.token_id FROM token_id_trigrams f JOIN token_index t ON t.id = f.rowid
      WHERE token_id_trigrams MATCH '"505"' ORDER BY t.token_key, t.token_id`).all()
    expect(holding).toEqual([{ token_key: 'tk-a', token_id: '1505' }, { token_key: 'tk-b', token_id: '505' }])
    expect(store.integrityCheck()).toBe('ok')
    // Statement journals stay in memory (2 = MEMORY): the triggers otherwise cost a temp-file write per statement.
    expect(store.db.pragma('temp_store', { simple: true })).toBe(2)
  })

  it('keeps every total equal to a recount through inserts, head moves, deletes and a rolled-back write (seeded, 40 runs)', () => {
    const store = open(newDir())
    const db = store.db
    const op = fc.oneof(
      fc.record({ kind: fc.constant('slot' as const), key: fc.constantFrom('tk-a', 'tk-b'), id: fc.integer({ min: 0, max: 60 }), alias: fc.constantFrom('', 'lore') }),
      fc.record({ kind: fc.constant('unslot' as const), id: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ kind: fc.constant('block' as const), id: fc.integer({ min: 0, max: 30 }), size: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ kind: fc.constant('unblock' as const), id: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('rollback' as const), id: fc.integer({ min: 61, max: 70 }) }),
    )
    let nonce = 0
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), ops => {
      for (const o of ops) {
        if (o.kind === 'slot') {
          db.prepare(SLOT).run(`${o.key}-${o.id}`, o.alias, o.key, String(o.id))
          db.prepare(TX).run(`h${++nonce}`, 'metadata', o.key, `${o.key}-${o.id}`, String(o.id), `n${nonce}`, nonce, 'applied')
        } else if (o.kind === 'unslot') {
          db.prepare("DELETE FROM slots WHERE data_key IN (?, ?) AND alias = 'lore' OR data_key = ? AND alias = ''").run(`tk-a-${o.id}`, `tk-b-${o.id}`, `tk-a-${o.id}`)
        } else if (o.kind === 'block') {
          db.prepare(BLOCK).run(Buffer.from(`b${o.id}`), Buffer.alloc(o.size), o.size)
        } else if (o.kind === 'unblock') {
          db.prepare('DELETE FROM blocks WHERE multihash = ?').run(Buffer.from(`b${o.id}`))
        } else {
          // A write that fails half way leaves no count behind.
          expect(() => db.transaction(() => {
            db.prepare(SLOT).run(`tk-a-${o.id}`, '', 'tk-a', String(o.id))
            throw new Error('abandoned')
          })()).toThrow('abandoned')
        }
      }
      expect(kept(db)).toEqual(recount(db))
      const ids = db.prepare('SELECT data_key, token_key, token_id FROM token_index ORDER BY data_key').all()
      expect(ids).toEqual(db.prepare('SELECT data_key, min(token_key) AS token_key, min(token_id) AS token_id FROM slots GROUP BY data_key ORDER BY data_key').all())
    }), { seed: 15, numRuns: 40 })
  })

  it('answers the status, list and search reads from indexes and kept rows, never a scan of a large table', () => {
    const store = open(newDir())
    fill(store.db, 'tk-a', Array.from({ length: 50 }, (_, i) => String(i)))
    const plan = (sql: string, ...params: unknown[]): string =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map(p => p.detail).join('\n')
    // Any SCAN but the trigram index's own MATCH lookup and the search page's subqueries over its
    // matches (m, subquery-N); tables may appear under an alias.
    const scans = /SCAN (?!\w+ VIRTUAL TABLE INDEX \d+:M|m$|\(subquery-\d+\)$)/m
    // Tokens' list and search statements, as lineage/tokens prepares them.
    const order = "printf('%02d', length(token_id)) || token_id"
    const tOrder = "printf('%02d', length(t.token_id)) || t.token_id"
    const matches = `FROM token_id_trigrams f JOIN token_index t ON t.id = f.rowid WHERE token_id_trigrams MATCH ? AND t.token_key = ? AND instr(t.token_id, ?) > 0`
    const reads: Array<[string, string, unknown[]]> = [
      ['node totals', 'SELECT tokens, slots, transactions, blocks, block_bytes FROM store_totals WHERE id = 1', []],
      ['collection total', 'SELECT tokens FROM collection_totals WHERE token_key = ?', ['tk-a']],
      ['fragment total', 'SELECT tokens FROM token_id_fragments WHERE token_key = ? AND fragment = ?', ['tk-a', '4']],
      ['list page', `SELECT token_id, min(data_key), count(*), max(updated_at) FROM slots WHERE token_key = ? AND ${order} > ? AND instr(token_id, ?) > 0 GROUP BY ${order} ORDER BY ${order} LIMIT ?`, ['tk-a', '', '', 101]],
      ['search count', `SELECT count(*) ${matches}`, ['"123"', 'tk-a', '123']],
      ['search page', `SELECT s.token_id, m.total FROM (SELECT data_key, sort_key, total FROM (SELECT t.data_key, ${tOrder} AS sort_key, count(*) OVER () AS total ${matches})
        WHERE sort_key > ? ORDER BY sort_key LIMIT ?) m JOIN slots s ON s.data_key = m.data_key GROUP BY m.sort_key ORDER BY m.sort_key`, ['"123"', 'tk-a', '123', '', 101]],
    ]
    for (const [name, sql, params] of reads) expect({ name, plan: plan(sql, ...params) }).not.toMatchObject({ plan: expect.stringMatching(scans) })
    expect(plan(reads[4]?.[1] ?? '', ...reads[4]?.[2] ?? [])).toMatch(/SCAN f VIRTUAL TABLE INDEX 0:M\d*\nSEARCH t USING INTEGER PRIMARY KEY/)

    // The UI's searches through lineage/search: the collection screen's bindings and refused
    // transactions, the token editor's last refusal. Bound values would hide the partial index.
    const search = createSearch(store.db)
    const traced: string[] = []
    const prepare = store.db.prepare.bind(store.db)
    store.db.prepare = ((sql: string) => { traced.push(sql); return prepare(sql) }) as typeof store.db.prepare
    const refused = search.transactions({ query: [{ column: 'token_key', op: '=', query: 'tk-a' }, { column: 'status', op: '=', query: 'rejected' }], ordering: [{ column: 'timestamp', sort: 'desc' }], to: 50 })
    search.transactions({ query: [{ column: 'method', op: '=', query: 'contract' }, { column: 'status', op: '=', query: 'applied' }], ordering: [{ column: 'timestamp', sort: 'desc' }], to: 1000 })
    search.transactions({ query: [{ column: 'data_key', op: '=', query: 'tk-a-5' }, { column: 'status', op: '=', query: 'rejected' }], ordering: [{ column: 'timestamp', sort: 'desc' }], to: 1 })
    store.db.prepare = prepare
    expect(refused.map(t => t.token_id)).toEqual(['45', '40', '35', '30', '25', '20', '15', '10', '5', '0'])
    expect(plan(traced[0] ?? '', 'tk-a', 50, 0)).toContain('USING INDEX transactions_rejected (token_key=?)')
    expect(plan(traced[1] ?? '', 1000, 0)).toBe('SCAN transactions USING INDEX transactions_bindings_applied')
    expect(plan(traced[2] ?? '', 'tk-a-5', 1, 0)).toContain('USING INDEX transactions_token_time (data_key=?)')
    // A value outside the closed list stays a bound parameter (and matches nothing).
    expect(search.transactions({ query: [{ column: 'status', op: '=', query: "rejected' OR 1=1 --" }] })).toEqual([])
  })
})
