// Search filters over real SQLite: number columns compare and sort as numbers (uint256 included),
// checked against BigInt order over random ids; values that do not fit a column are refused.
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createSearch, InvalidSearchValueError } from '../../../src-main/lineage/search/index.js'
import type { Search, SearchFilter } from '../../../src-main/lineage/search/index.js'
import { createStore } from '../../../src-main/store/index.js'
import type { Store } from '../../../src-main/store/index.js'
import { testLog } from '../../helpers/logger.js'
import { tempDir } from '../../helpers/temp-dir.js'

const MAX = (1n << 256n) - 1n
const OPS = ['=', '!=', '<', '<=', '>', '>='] as const
type Op = typeof OPS[number]

const compare = (a: bigint, op: Op, b: bigint): boolean => {
  switch (op) {
    case '=': return a === b
    case '!=': return a !== b
    case '<': return a < b
    case '<=': return a <= b
    case '>': return a > b
    case '>=': return a >= b
  }
}
const byNumber = (a: bigint, b: bigint): number => a < b ? -1 : a > b ? 1 : 0

/** uint256 ids, weighted towards the edges: 0, the largest, many digits, and ids that differ only in length. */
const uint256 = fc.oneof(
  fc.constantFrom(0n, 1n, 9n, 10n, MAX, MAX - 1n, 10n ** 77n, 10n ** 77n - 1n),
  fc.bigInt({ min: 0n, max: MAX }),
  fc.bigInt({ min: 0n, max: 3000n }),
  fc.integer({ min: 0, max: 77 }).map(k => 10n ** BigInt(k)),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 77 })).map(([d, n]) => BigInt(String(d).repeat(n))),
)
/** A query value as a client may write it: the decimal, with leading zeros, or a JSON number when it is one exactly. */
const spelled = (value: bigint, form: number): string | number =>
  form === 1 ? `000${value}` : form === 2 && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString()

describe('search over number columns (real SQLite)', () => {
  let store: Store
  let search: Search
  let cleanup: () => void
  const insertSlot = (tokenId: string, i: number): void => {
    store.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES (?, 'open', ?, '', 'v1', 'tk', ?, 'bafy', ?, 'tx', ?)`).run(`dk${i}`, `pk${i % 3}`, tokenId, i % 2, 1_700_000_000_000 + i)
  }
  const insertTransaction = (tokenId: string, chainId: string, i: number): void => {
    store.db.prepare(`INSERT INTO transactions (hash, method, meta_contract_id, token_key, data_key, chain_id, token_address, token_id, alias, version, public_key, nonce, data, mcdata, signature, timestamp, status)
      VALUES (?, ?, 'open', 'tk', ?, ?, '0x00000000000000000000000000000000000000aa', ?, '', 'v1', 'pk', ?, '{}', '', 'sig', ?, 'applied')`)
      .run(`h${i}`, tokenId === '' ? 'contract' : 'metadata', tokenId === '' ? '' : `dk${i}`, chainId, tokenId, `nonce-${i}-aaaaaaaaaaaa`, 1_700_000_000_000 + i)
  }

  beforeAll(() => {
    const t = tempDir()
    cleanup = t.cleanup
    store = createStore({ log: testLog }, { dataDir: t.dir })
    store.start()
    search = createSearch(store.db)
  })
  beforeEach(() => { store.db.exec('DELETE FROM slots; DELETE FROM transactions') })
  afterAll(() => {
    store.stop()
    cleanup()
  })

  it('token_id > "1999" matches larger ids only, not the ones that sort after it as text', () => {
    store.db.transaction(() => { ['2', '300', '1999', '2000', '10000', '19990'].forEach(insertSlot) })()
    const filter: SearchFilter = { query: [{ column: 'token_id', op: '>', query: '1999' }], ordering: [{ column: 'token_id', sort: 'asc' }] }
    expect(search.slots(filter).map(s => s.token_id)).toEqual(['2000', '10000', '19990'])
    expect(search.slotCount(filter)).toBe(3)
    expect(search.slots({ query: [{ column: 'token_id', op: '<', query: 1999 }], ordering: [{ column: 'token_id', sort: 'desc' }] }).map(s => s.token_id)).toEqual(['300', '2'])
  })

  it('every operator and both sorts agree with BigInt order on slots, for random uint256 ids', () => {
    fc.assert(fc.property(
      fc.uniqueArray(uint256, { minLength: 1, maxLength: 25, selector: v => v.toString() }),
      fc.constantFrom(...OPS),
      fc.oneof(uint256, fc.nat(24)),
      fc.constantFrom('asc', 'desc'),
      fc.integer({ min: 0, max: 2 }),
      (ids, op, pick, sort, form) => {
        store.db.exec('DELETE FROM slots')
        store.db.transaction(() => { ids.forEach((id, i) => { insertSlot(id.toString(), i) }) })()
        // Half the time the query value is one of the ids, so = and the edges of < and <= are hit.
        const value = typeof pick === 'number' ? ids[pick % ids.length] ?? 0n : pick
        const filter: SearchFilter = { query: [{ column: 'token_id', op, query: spelled(value, form) }], ordering: [{ column: 'token_id', sort }], to: 1000 }
        const expected = ids.filter(id => compare(id, op, value)).sort(byNumber)
        if (sort === 'desc') expected.reverse()
        expect(search.slots(filter).map(s => s.token_id)).toEqual(expected.map(String))
        expect(search.slotCount(filter)).toBe(expected.length)
      },
    ), { seed: 20261206, numRuns: 300 })
  })

  it('transactions compare token_id and chain_id as numbers; a binding\'s empty token_id matches no comparison', () => {
    fc.assert(fc.property(
      fc.uniqueArray(uint256, { minLength: 1, maxLength: 20, selector: v => v.toString() }),
      fc.constantFrom(...OPS),
      uint256,
      fc.constantFrom('asc', 'desc'),
      (ids, op, value, sort) => {
        store.db.exec('DELETE FROM transactions')
        store.db.transaction(() => {
          insertTransaction('', '1', 1000)
          ids.forEach((id, i) => { insertTransaction(id.toString(), String(1 + (i % 3) * 99), i) })
        })()
        const rows = search.transactions({ query: [{ column: 'token_id', op, query: value.toString() }], ordering: [{ column: 'token_id', sort }], to: 1000 })
        const expected = ids.filter(id => compare(id, op, value)).sort(byNumber)
        if (sort === 'desc') expected.reverse()
        expect(rows.map(r => r.token_id)).toEqual(expected.map(String))
      },
    ), { seed: 4242, numRuns: 150 })
    // chain ids 1, 100, 199: as text "100" < "99"; as numbers 100 > 99.
    const chains = search.transactions({ query: [{ column: 'chain_id', op: '>', query: '99' }], to: 1000 }).map(r => r.chain_id)
    expect(new Set(chains)).toEqual(new Set(['100', '199']))
    // Sorted ascending, the binding ("") comes first, then numeric order.
    const all = search.transactions({ ordering: [{ column: 'token_id', sort: 'asc' }], to: 3 }).map(r => r.token_id)
    expect(all[0]).toBe('')
  })

  it('integer columns compare as integers, from a JSON number or a decimal string', () => {
    store.db.transaction(() => { for (let i = 0; i < 12; i++) insertSlot(String(i), i) })()
    const later = { query: [{ column: 'updated_at', op: '>=', query: '1700000000000' }, { column: 'updated_at', op: '<', query: 1_700_000_000_010 }] }
    expect(search.slotCount(later)).toBe(10)
    expect(search.slotCount({ query: [{ column: 'loose', op: '=', query: 1 }] })).toBe(6)
    expect(search.slots({ ordering: [{ column: 'updated_at', sort: 'desc' }], to: 2 }).map(s => s.token_id)).toEqual(['11', '10'])
  })

  it('refuses a value that is not a number for a number column, naming the condition and the column', () => {
    store.db.transaction(() => { insertSlot('1', 1) })()
    const refused: Array<[string, string | number, RegExp]> = [
      ['token_id', 'abc', /filter\.query\.1\.query: token_id is a number column .*"abc" is not a number/],
      ['token_id', '', /"" is not a number/],
      ['token_id', '-1', /"-1" is not a number/],
      ['token_id', '1.5', /"1.5" is not a number/],
      ['token_id', ' 7', /" 7" is not a number/],
      ['token_id', 1.5, /1.5 is not one/],
      ['token_id', -3, /-3 is not one/],
      ['token_id', (MAX + 1n).toString(), /is larger than 2\^256 − 1/],
      ['updated_at', 'yesterday', /filter\.query\.1\.query: updated_at is an integer column; "yesterday" is not a whole number/],
      ['loose', 'true', /loose is an integer column/],
      ['updated_at', 1e300, /updated_at is an integer column/],
    ]
    for (const [column, query, message] of refused) {
      const filter: SearchFilter = { query: [{ column: 'token_key', op: '=', query: 'tk' }, { column, op: '>', query }] }
      let thrown: unknown
      try {
        search.slots(filter)
      } catch (err) {
        thrown = err
      }
      expect(thrown, `${column} ${String(query)}`).toBeInstanceOf(InvalidSearchValueError)
      expect((thrown as InvalidSearchValueError).name).toBe('InvalidSearchValueError')
      expect((thrown as InvalidSearchValueError).field).toBe('filter.query.1.query')
      expect((thrown as Error).message).toMatch(message)
      expect(() => search.slotCount(filter)).toThrowError(message)
    }
    // A like pattern is text over the digits.
    expect(search.slotCount({ query: [{ column: 'token_id', op: 'like', query: '1%' }] })).toBe(1)
    expect(() => search.slotCount({ query: [{ column: 'token_id', op: 'like', query: 1 }] })).toThrowError(/a like pattern must be a string/)
  })
})
