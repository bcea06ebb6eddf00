import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TraitIndex } from '../../../src-main/lineage/browse/trait-index.js'

const SEED = 2412
const TYPES = ['Fur', 'Eyes', 'Hat']
const VALUES = ['a', 'b', 'c', 'd']

/** Cards (ids not in position order, gaps between them) each holding some values. */
const collectionArb = fc.array(fc.subarray(TYPES.flatMap(t => VALUES.map(v => `${t}=${v}`))), { minLength: 1, maxLength: 60 })

function indexOf (cards: string[][]): { index: TraitIndex, ids: number[] } {
  // Card ids: shuffled and spaced, as a table shared by several collections gives them.
  const ids = cards.map((_, i) => 1000 + ((i * 37) % 101) * 3)
  const holders = new Map<string, number[]>()
  cards.forEach((traits, p) => { for (const t of traits) holders.set(t, [...(holders.get(t) ?? []), ids[p]!]) })
  const values = [...holders].map(([tv, holding]) => {
    const [type, value] = tv.split('=') as [string, string]
    return { type, value, cards: Int32Array.from(holding.reverse()) }
  })
  return { index: new TraitIndex(7, Int32Array.from(ids), values), ids }
}

describe('TraitIndex against a naive count over its cards (seeded)', () => {
  it('matches, counts (sparse and dense matches, one type or all) and pages as the naive reading does', () => {
    const query = fc.record({
      filters: fc.array(fc.record({ type: fc.constantFrom(...TYPES), value: fc.constantFrom(...VALUES) }), { maxLength: 3 }),
      text: fc.option(fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), { nil: undefined }),
      offset: fc.nat(70),
      limit: fc.integer({ min: 1, max: 70 }),
      backwards: fc.boolean(),
    })
    let dense = 0
    fc.assert(fc.property(collectionArb, query, (cards, { filters, text, offset, limit, backwards }) => {
      const { index, ids } = indexOf(cards)
      const groups = new Map<string, string[]>()
      for (const f of filters) groups.set(f.type, [...(groups.get(f.type) ?? []), f.value])
      const textFlags = text === undefined ? undefined : index.flagsOf(ids.filter((_, p) => text[p] === true))
      const matches = (p: number, without?: string): boolean => (text === undefined || text[p] === true) &&
        [...groups].every(([type, values]) => type === without || values.some(v => cards[p]!.includes(`${type}=${v}`)))
      const conditions = index.conditions(textFlags === undefined ? [] : [textFlags], groups)
      const match = index.match(conditions)
      const expected = cards.map((_, p) => p).filter(p => matches(p))
      if (match === undefined) expect(text === undefined && groups.size === 0).toBe(true)
      else expect(match.count).toBe(expected.length)
      if (match !== undefined && match.count > cards.length / 2) dense++
      // Every value's count over the matches, and one type's without its own filter.
      const naiveCounts = (without?: string, onlyType?: string): Array<[string, string, number]> => {
        const counts = new Map<string, number>()
        cards.forEach((traits, p) => {
          if (!matches(p, without)) return
          for (const tv of traits) if (onlyType === undefined || tv.startsWith(`${onlyType}=`)) counts.set(tv, (counts.get(tv) ?? 0) + 1)
        })
        return [...counts].map(([tv, n]) => [...tv.split('='), n] as [string, string, number]).sort()
      }
      expect(index.counts(match).sort()).toEqual(naiveCounts())
      for (const type of groups.keys()) expect(index.counts(index.match(conditions, type), type).sort()).toEqual(naiveCounts(type, type))
      const order = backwards ? [...expected].reverse() : expected
      expect(index.page(match, backwards ? 'token_id_desc' : 'token_id', offset, limit)).toEqual(order.slice(offset, offset + limit).map(p => ids[p]))
    }), { seed: SEED, numRuns: 400 })
    // The dense branch (counting what the non-matches hold) was taken.
    expect(dense).toBeGreaterThan(20)
  })

  it('keeps each search word\'s matches: the text index is asked once a word, until the bytes kept are bounded', () => {
    const { index, ids } = indexOf([['Fur=a'], ['Fur=b'], ['Fur=a']])
    const asked: string[] = []
    const search = (word: string): number[] => { asked.push(word); return word === 'moon' ? [ids[0]!, ids[2]!, 99_999] : [] }
    expect(index.wordMatches('moon', search)).toEqual({ flags: Uint8Array.from([1, 0, 1]), count: 2 })
    expect(index.wordMatches('moon', search).count).toBe(2)
    expect(index.wordMatches('sun', search).count).toBe(0)
    expect(asked).toEqual(['moon', 'sun'])
    expect(index.bytes).toBeGreaterThan(0)
  })

  it('walks a kept order forwards (name, updated) and backwards (name_desc)', () => {
    const { index, ids } = indexOf([['Fur=a'], ['Fur=b'], ['Fur=a'], ['Fur=a']])
    // Name order: positions 2, 0, 3, 1.
    index.keepOrder('name', [ids[2]!, ids[0]!, ids[3]!, ids[1]!])
    const match = index.match(index.conditions([], new Map([['Fur', ['a']]])))
    expect(index.page(match, 'name', 0, 10, index.orderFor('name'))).toEqual([ids[2], ids[0], ids[3]])
    expect(index.page(match, 'name_desc', 1, 10, index.orderFor('name_desc'))).toEqual([ids[0], ids[2]])
    expect(index.orderFor('updated')).toBeUndefined()
    expect(index.orderFor('token_id')).toBeUndefined()
    expect(index.position(12345)).toBeUndefined()
  })
})
