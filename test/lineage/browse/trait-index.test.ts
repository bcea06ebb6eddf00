import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TraitIndex } from '../../../src-main/lineage/browse/trait-index.js'

const SEED = 2412
const TYPES = ['Fur', 'Eyes', 'Hat']
const VALUES = ['a', 'b', 'c', 'd']

/** Cards (ids not in position order, gaps between them) each holding some values. */
const collectionArb = fc.array(fc.subarray(TYPES.flatMap(t => VALUES.map(v => `${t}=${v}`))), { minLength: 1, maxLength: 130 })

function indexOf (cards: string[][]): { index: TraitIndex, ids: number[] } {
  // Card ids: shuffled and spaced, as a table shared by several collections gives them.
  const ids = cards.map((_, i) => 1000 + ((i * 37) % 1009) * 3)
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
      text: fc.option(fc.array(fc.boolean(), { minLength: 130, maxLength: 130 }), { nil: undefined }),
      offset: fc.nat(140),
      limit: fc.integer({ min: 1, max: 140 }),
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

  it('counts a value few cards hold from its positions, and one many hold from its bit set, alike', () => {
    // 320 cards: "Hat=rare" on 3 of them (a list of positions), "Hat=common" on every other (a bit set).
    const cards = Array.from({ length: 320 }, (_, p) => [...(p % 2 === 0 ? ['Hat=common'] : []), ...([6, 64, 300].includes(p) ? ['Hat=rare'] : []), p % 3 === 0 ? 'Fur=a' : 'Fur=b'])
    const { index, ids } = indexOf(cards)
    const furA = index.match(index.conditions([], new Map([['Fur', ['a']]])))
    const naive = (type: string): Array<[string, string, number]> => {
      const counts = new Map<string, number>()
      cards.forEach((traits, p) => { if (p % 3 === 0) for (const t of traits) if (t.startsWith(`${type}=`)) counts.set(t, (counts.get(t) ?? 0) + 1) })
      return [...counts].map(([tv, n]) => [...tv.split('='), n] as [string, string, number]).sort()
    }
    expect(index.counts(furA, 'Hat').sort()).toEqual(naive('Hat'))
    expect(index.counts(furA).filter(([type]) => type === 'Hat').sort()).toEqual(naive('Hat'))
    expect(naive('Hat')).toEqual([['Hat', 'common', 54], ['Hat', 'rare', 2]])
    // A filter on the common value is its bit set, copied.
    const common = index.match(index.conditions([], new Map([['Hat', ['common']]])))
    expect(common?.count).toBe(160)
    expect(index.page(common, 'token_id', 0, 3)).toEqual([ids[0], ids[2], ids[4]])
  })

  it('keeps each search word\'s matches: the text index is asked once a word, until the bytes kept are bounded', () => {
    const { index, ids } = indexOf([['Fur=a'], ['Fur=b'], ['Fur=a']])
    const asked: string[] = []
    const search = (word: string): number[] => { asked.push(word); return word === 'moon' ? [ids[0]!, ids[2]!, 99_999] : [] }
    expect(index.wordMatches('moon', search)).toEqual({ bits: Uint32Array.from([0b101]), count: 2 })
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

  it('a changed index (cards gone, changed and added) answers as one built from the changed collection does', () => {
    const traitsArb = fc.subarray(TYPES.flatMap(t => VALUES.map(v => `${t}=${v}`)))
    const changeArb = collectionArb.chain(cards => fc.record({
      cards: fc.constant(cards),
      gone: fc.oneof(fc.constant<number[]>([]), fc.subarray(cards.map((_, p) => p))),
      changed: fc.array(fc.record({ at: fc.nat(cards.length - 1), traits: traitsArb }), { maxLength: 8 }),
      added: fc.oneof(fc.constant<Array<{ before: number, traits: string[] }>>([]), fc.array(fc.record({ before: fc.nat(cards.length), traits: traitsArb }), { maxLength: 8 })),
    }))
    let shifted = 0
    let valuesOnly = 0
    fc.assert(fc.property(changeArb, ({ cards, gone, changed, added }) => {
      // Old cards get ids 1000, 1003, …; added cards ids from 1 (below them) and above, as a table's
      // freed and new rowids are.
      const oldIds = cards.map((_, p) => 1000 + p * 3)
      const holders = (list: Array<{ id: number, traits: string[] }>): Array<{ type: string, value: string, cards: Int32Array }> => {
        const byValue = new Map<string, number[]>()
        for (const { id, traits } of list) for (const t of traits) byValue.set(t, [...(byValue.get(t) ?? []), id])
        return [...byValue].map(([tv, ids]) => ({ type: tv.split('=')[0]!, value: tv.split('=')[1]!, cards: Int32Array.from(ids) }))
      }
      const before = cards.map((traits, p) => ({ id: oldIds[p]!, traits }))
      const index = new TraitIndex(1, Int32Array.from(oldIds), holders(before))
      // The collection after the change, in id order: what a fresh read gives.
      const goneSet = new Set(gone)
      const now = new Map(before.map((c, p) => [p, c.traits]))
      for (const { at, traits } of changed) now.set(at, traits)
      const newCards = added.map((a, i) => ({ id: i % 2 === 0 ? 1 + i : 5000 + i, before: a.before, traits: a.traits }))
        .sort((x, y) => x.before - y.before)
      const after: Array<{ id: number, traits: string[] }> = []
      let a = 0
      for (let p = 0; p <= cards.length; p++) {
        while (a < newCards.length && newCards[a]!.before <= p) after.push(newCards[a++]!)
        if (p < cards.length && !goneSet.has(p)) after.push({ id: oldIds[p]!, traits: now.get(p)! })
      }
      const fresh = new TraitIndex(2, Int32Array.from(after.map(c => c.id)), holders(after))
      const pair = (tv: string): readonly [string, string] => tv.split('=') as [string, string]
      const dump = (ix: TraitIndex): unknown => {
        const holding = TYPES.flatMap(type => VALUES.map(value => ix.page(ix.match(ix.conditions([], new Map([[type, [value]]]))), 'token_id', 0, 1000)))
        const furA = ix.match(ix.conditions([], new Map([['Fur', ['a']]])))
        // Each card's values, as the counts over it alone read them (its per-card values).
        const perCard = [...ix.cards].map(id => ix.counts(ix.flagsOf([id])).sort())
        return { counts: ix.counts(undefined).sort(), furA: ix.counts(furA).sort(), twoThirds: ix.counts(ix.flagsOf([...ix.cards].filter((_, p) => p % 3 !== 0))).sort(), holding, perCard }
      }
      // The index is asked first, so what it makes on first use (values' bit sets) is made before the change.
      const asked = dump(index)
      const mended = index.changed(2, {
        gone: gone.map(p => oldIds[p]!),
        changed: changed.map(({ at }) => ({ id: oldIds[at]!, values: now.get(at)!.map(pair) })),
        added: newCards.map(c => ({ id: c.id, before: c.before, values: c.traits.map(pair) })),
      })
      if (gone.length > 0 || added.length > 0) shifted++
      else if (changed.length > 0) valuesOnly++
      expect(mended.version).toBe(2)
      expect([...mended.cards]).toEqual([...fresh.cards])
      expect(dump(mended)).toEqual(dump(fresh))
      expect(dump(index)).toEqual(asked)
      for (const { id } of after) expect(mended.position(id)).toBe(fresh.position(id))
      for (const p of gone) expect(mended.position(oldIds[p]!)).toBeUndefined()
    }), { seed: SEED, numRuns: 400 })
    // Both ways were taken: cards moved (gone or added), and only values changed (places shared).
    expect(shifted).toBeGreaterThan(100)
    expect(valuesOnly).toBeGreaterThan(20)
  })
})
