import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeVersionBlock } from '../../../src-main/dag/index.js'
import { createTokens, diffContent, TOKEN_ORDER_SQL } from '../../../src-main/lineage/tokens/index.js'
import type { TokenPage, Tokens } from '../../../src-main/lineage/tokens/index.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'

const COLLECTION = { chain_id: '1', token_address: '0x0000000000000000000000000000000000001000' }
const TOKENS = 12_000

describe('list_tokens at 12,000 tokens (real SQLite, real keys service)', () => {
  let engine: TestEngine
  let tokens: Tokens
  let tokenKey: string

  beforeAll(async () => {
    engine = await startTestEngine([])
    const { store, blockstore, lineage } = engine
    tokenKey = lineage.tokenKey(COLLECTION.chain_id, COLLECTION.token_address)
    const head = encodeVersionBlock({ timestamp: 1_700_000_000_000, content: { name: 'x' }, transaction: { hash: 'h', timestamp: 1_700_000_000_000, meta_contract_id: 'open', method: 'metadata', value: '' } })
    // The rows the validator would write for a collection this size; every third token has a
    // second slot, so a token is not one row.
    const slot = store.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES (?, 'open', 'pk', ?, 'v1', ?, ?, ?, 1, 'tx', ?)`)
    store.db.transaction(() => {
      blockstore.putSync(head.cid, head.bytes)
      store.db.prepare(`INSERT INTO contract_bindings (token_key, chain_id, token_address, meta_contract_id, public_key, data, tx_hash, updated_at)
        VALUES (?, ?, ?, 'open', 'pk', '{}', 'tx', 0)`).run(tokenKey, COLLECTION.chain_id, COLLECTION.token_address)
      for (let i = 1; i <= TOKENS; i++) {
        const dataKey = lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, String(i))
        slot.run(dataKey, '', tokenKey, String(i), head.cid.toString(), i)
        if (i % 3 === 0) slot.run(dataKey, 'lore', tokenKey, String(i), head.cid.toString(), i + 1)
      }
    })()
    tokens = createTokens({ store, blockstore, keys: lineage })
  }, 120_000)
  afterAll(async () => { await engine.stop() })

  it('walks every token once, in numeric order, with the same total on every page', () => {
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    for (;;) {
      const page: TokenPage = tokens.list({ token_key: tokenKey }, { limit: 1000, ...(cursor === undefined ? {} : { cursor }) })
      pages++
      expect(page.total).toBe(TOKENS)
      seen.push(...page.items.map(t => t.token_id))
      if (page.next_cursor === null) break
      cursor = page.next_cursor
    }
    expect(pages).toBe(TOKENS / 1000)
    expect(seen).toEqual(Array.from({ length: TOKENS }, (_, i) => String(i + 1)))
    expect(tokens.list(COLLECTION, { limit: 3, cursor: '2999' }).items).toEqual([
      { token_id: '3000', data_key: engine.lineage.dataKey('1', COLLECTION.token_address, '3000'), slots: 2, updated_at: 3001 },
      expect.objectContaining({ token_id: '3001', slots: 1 }),
      expect.objectContaining({ token_id: '3002', slots: 1 }),
    ])
  })

  it('seeks a deep page through the index instead of scanning to it', () => {
    const plan = engine.store.db.prepare(`EXPLAIN QUERY PLAN SELECT token_id FROM slots WHERE token_key = ? AND ${TOKEN_ORDER_SQL} > ?
      AND instr(token_id, ?) > 0 GROUP BY ${TOKEN_ORDER_SQL} ORDER BY ${TOKEN_ORDER_SQL} LIMIT ?`).all(tokenKey, '0511000', '', 100) as Array<{ detail: string }>
    // Covering (store migration 17): a page reads no table row.
    expect(plan.map(p => p.detail).join('\n')).toContain('USING COVERING INDEX slots_token_order (token_key=? AND <expr>>?)')
    const time = (cursor: string | undefined): number => {
      const started = performance.now()
      for (let i = 0; i < 20; i++) tokens.list({ token_key: tokenKey }, { limit: 100, ...(cursor === undefined ? {} : { cursor }) })
      return (performance.now() - started) / 20
    }
    time(undefined)
    const deep = time('11800')
    // A page is about 0.2 ms plus the total's count; the bound only catches a scan of every row per page.
    expect(deep).toBeLessThan(25)
  })

  it('filters by digits, counting the matches', () => {
    const page = tokens.list({ token_key: tokenKey }, { token_id_contains: '1234', limit: 1000 })
    const expected = Array.from({ length: TOKENS }, (_, i) => String(i + 1)).filter(id => id.includes('1234'))
    expect(page.items.map(t => t.token_id)).toEqual(expected)
    expect(page.total).toBe(expected.length)
    expect(page.next_cursor).toBeNull()
  })

  it('finds the same tokens a scan would for fragments of 1 to 5 digits, page after page, with their totals', () => {
    const all = Array.from({ length: TOKENS }, (_, i) => String(i + 1))
    // 1 and 2 digits: kept fragment counts and an ordered walk; 3 and more: the trigram index.
    for (const fragment of ['7', '0', '00', '99', '100', '999', '1234', '12000', '55555']) {
      const expected = all.filter(id => id.includes(fragment))
      const seen: string[] = []
      let cursor: string | undefined
      for (;;) {
        const page = tokens.list({ token_key: tokenKey }, { token_id_contains: fragment, limit: 500, ...(cursor === undefined ? {} : { cursor }) })
        expect({ fragment, total: page.total }).toEqual({ fragment, total: expected.length })
        seen.push(...page.items.map(t => t.token_id))
        if (page.next_cursor === null) break
        cursor = page.next_cursor
      }
      expect({ fragment, seen }).toEqual({ fragment, seen: expected })
    }
    // A cursor past the last match: an empty page, still with the total.
    expect(tokens.list({ token_key: tokenKey }, { token_id_contains: '1234', cursor: '11234' })).toEqual({ token_key: tokenKey, items: [], next_cursor: null, total: all.filter(id => id.includes('1234')).length })
    // A match's summary counts its slots as the unfiltered list does.
    expect(tokens.list({ token_key: tokenKey }, { token_id_contains: '3000', limit: 1 }).items).toEqual(tokens.list({ token_key: tokenKey }, { cursor: '2999', limit: 1 }).items)
  })

  it('throws UnknownCollectionError for a collection the node has never seen', () => {
    expect(() => tokens.list({ chain_id: '1', token_address: '0x0000000000000000000000000000000000002000' })).toThrowError(expect.objectContaining({ name: 'UnknownCollectionError' }))
    expect(tokens.list({ token_key: tokenKey }, { token_id_contains: '99999' })).toEqual({ token_key: tokenKey, items: [], next_cursor: null, total: 0 })
  })
})

describe('diffContent', () => {
  it('reports changes at JSON Pointer paths, escaping "~" and "/"', () => {
    expect(diffContent({ 'a/b': 1, 'c~d': [1, 2], same: true }, { 'a/b': 2, 'c~d': [1], same: true, added: null })).toEqual([
      { path: '/a~1b', op: 'replace', before: 1, after: 2 },
      { path: '/c~0d/1', op: 'remove', before: 2 },
      { path: '/added', op: 'add', after: null },
    ])
  })

  it('replaces a value that changes kind, and the whole document when it is not an object on both sides', () => {
    expect(diffContent({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: '/a', op: 'replace', before: { b: 1 }, after: [1] }])
    expect(diffContent({ a: 1 }, [1])).toEqual([{ path: '', op: 'replace', before: { a: 1 }, after: [1] }])
    expect(diffContent('old', 'new')).toEqual([{ path: '', op: 'replace', before: 'old', after: 'new' }])
    expect(diffContent('same', 'same')).toEqual([])
  })

  it('treats a first version as added, member by member', () => {
    expect(diffContent(undefined, { name: 'x', tags: ['a'] })).toEqual([{ path: '/name', op: 'add', after: 'x' }, { path: '/tags', op: 'add', after: ['a'] }])
    expect(diffContent(undefined, ['a'])).toEqual([{ path: '/0', op: 'add', after: 'a' }])
    expect(diffContent(undefined, 42)).toEqual([{ path: '', op: 'add', after: 42 }])
  })
})
