import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBrowser } from '../../../src-main/lineage/browse/index.js'
import type { BrowsePage, Browser, BrowseSort, Facet, TraitFilter } from '../../../src-main/lineage/browse/index.js'
import { ed25519Signer } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000b0a5e' }
const OTHER = { chain_id: '1', token_address: '0x00000000000000000000000000000000000b0a5f' }
const SEED = 1807
const TOKENS = 240
const WORDS = ['red', 'dragon', 'drake', 'Gold', 'golden', 'café', 'Über', 'moon', 'moonlit', 'sky', 'a1', 'zeta', 'dr']
const TYPES = ['Fur', 'Eyes', 'Hat', '']
const VALUES = ['Red', 'Blue', 'Gold', '7', 'true', 'Café']

interface Doc { name?: string, description?: string, attributes?: Array<{ trait_type?: string, value: unknown }> }

const phrase = fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 4 }).chain(words =>
  fc.constantFrom(' ', ', ', '-', ' & ').map(sep => words.join(sep)))
const docArb: fc.Arbitrary<Doc> = fc.record({
  name: fc.option(phrase, { nil: undefined }),
  description: fc.option(phrase, { nil: undefined }),
  attributes: fc.option(fc.array(fc.record({
    trait_type: fc.option(fc.constantFrom(...TYPES.filter(t => t !== '')), { nil: undefined }),
    value: fc.oneof(fc.constantFrom(...VALUES), fc.constantFrom(7, true), fc.constant({ nested: 1 })),
  }), { maxLength: 4 }), { nil: undefined }),
}, { requiredKeys: [] })

/** What a word of the text is, as the FTS5 unicode61 tokenizer with remove_diacritics sees it. */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
const wordsOf = (text: string): string[] => fold(text).match(/[\p{L}\p{N}]+/gu) ?? []

/** The naive reading of a document: its traits as the browser indexes them. */
function traitsOf (doc: Doc): TraitFilter[] {
  const out: TraitFilter[] = []
  for (const a of doc.attributes ?? []) {
    if (typeof a.value !== 'string' && typeof a.value !== 'number' && typeof a.value !== 'boolean') continue
    const t = { trait_type: a.trait_type ?? '', value: String(a.value) }
    if (t.value !== '' && !out.some(o => o.trait_type === t.trait_type && o.value === t.value)) out.push(t)
  }
  return out
}

const idKey = (id: string): string => `${String(id.length).padStart(2, '0')}${id}`
/** SQLite's NOCASE: ASCII letters folded, everything else by code point. */
const nocase = (s: string): string => s.replace(/[A-Z]/g, c => c.toLowerCase())
const cmp = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0

describe('browse_tokens against a naive filter over the documents (real engine, seeded)', () => {
  let engine: TestEngine
  let browser: Browser
  /** The same index read the other way: every match set walked from the sort's index. */
  let walking: Browser
  /** Every filtered page read from the collection's in-memory trait index. */
  let indexed: Browser
  /** SQL plans only (the index never read). */
  let bySql: Browser
  const docs = new Map<string, { doc: Doc, updated: number }>()
  const alice = ed25519Signer()

  async function write (signer: TestSigner, tokenId: string, doc: unknown, alias = '', collection = COLLECTION): Promise<number> {
    const request = await signer.sign({ method: 'metadata', ...collection, token_id: tokenId, meta_contract_id: 'open', alias, version: 'v1', data: JSON.stringify(doc), mcdata: '' })
    engine.lineage.publish(request)
    return request.timestamp
  }

  beforeAll(async () => {
    engine = await startTestEngine(['open'])
    for (const c of [COLLECTION, OTHER]) {
      engine.lineage.publish(await alice.sign({ method: 'contract', ...c, token_id: '', meta_contract_id: 'open', alias: '', version: '', data: '{}', mcdata: '' }))
      await engine.lineage.settled()
    }
    const generated = fc.sample(docArb, { seed: SEED, numRuns: TOKENS + 40 })
    for (let i = 0; i < TOKENS; i++) {
      const id = String((i * 7919) % 100_003)
      docs.set(id, { doc: generated[i]!, updated: await write(alice, id, generated[i]) })
    }
    // Forty tokens written again: the index follows the latest version, not the first.
    for (let i = 0; i < 40; i++) {
      const id = String((i * 3 * 7919) % 100_003)
      docs.set(id, { doc: generated[TOKENS + i]!, updated: await write(alice, id, generated[TOKENS + i]) })
    }
    // Another collection's tokens are never listed here.
    await write(alice, '1', { name: 'red dragon', attributes: [{ trait_type: 'Fur', value: 'Red' }] }, '', OTHER)
    await engine.lineage.settled()
    browser = createBrowser({ db: engine.store.db, keys: engine.lineage })
    walking = createBrowser({ db: engine.store.db, keys: engine.lineage }, { sortMatchesUpTo: 0, traitIndexFrom: Infinity })
    indexed = createBrowser({ db: engine.store.db, keys: engine.lineage }, { traitIndexFrom: 0 })
    bySql = createBrowser({ db: engine.store.db, keys: engine.lineage }, { traitIndexFrom: Infinity })
  }, 120_000)
  afterAll(async () => { await engine.stop() })

  function naive (text: string, filters: TraitFilter[], sort: BrowseSort): { ids: string[], facets: Facet[] } {
    const words = wordsOf(text)
    const byType = new Map<string, string[]>()
    for (const f of filters) byType.set(f.trait_type, [...(byType.get(f.trait_type) ?? []), f.value])
    const matches = (doc: Doc, without?: string): boolean => {
      const docWords = [...wordsOf(doc.name ?? ''), ...wordsOf(doc.description ?? '')]
      if (!words.every(w => docWords.some(d => d.startsWith(w)))) return false
      const traits = traitsOf(doc)
      return [...byType].every(([type, values]) => type === without || traits.some(t => t.trait_type === type && values.includes(t.value)))
    }
    const entries = [...docs].filter(([, { doc }]) => matches(doc))
    const order: Record<BrowseSort, (a: typeof entries[number], b: typeof entries[number]) => number> = {
      token_id: (a, b) => cmp(idKey(a[0]), idKey(b[0])),
      token_id_desc: (a, b) => cmp(idKey(b[0]), idKey(a[0])),
      name: (a, b) => cmp(nocase(a[1].doc.name ?? ''), nocase(b[1].doc.name ?? '')) || cmp(idKey(a[0]), idKey(b[0])),
      name_desc: (a, b) => cmp(nocase(b[1].doc.name ?? ''), nocase(a[1].doc.name ?? '')) || cmp(idKey(b[0]), idKey(a[0])),
      updated: (a, b) => b[1].updated - a[1].updated || cmp(idKey(b[0]), idKey(a[0])),
    }
    const counts = new Map<string, Map<string, number>>()
    const allTypes = new Set([...docs.values()].flatMap(({ doc }) => traitsOf(doc).map(t => t.trait_type)))
    for (const type of allTypes) {
      const values = new Map<string, number>()
      for (const { doc } of docs.values()) {
        if (!matches(doc, byType.has(type) ? type : undefined)) continue
        for (const t of traitsOf(doc)) if (t.trait_type === type) values.set(t.value, (values.get(t.value) ?? 0) + 1)
      }
      for (const v of byType.get(type) ?? []) if (!values.has(v)) values.set(v, 0)
      if (values.size > 0) counts.set(type, values)
    }
    const facets = [...counts].sort(([a], [b]) => cmp(a, b)).map(([type, values]) => ({
      trait_type: type,
      values: [...values].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || cmp(a.value, b.value)),
      more: 0,
    }))
    return { ids: entries.sort(order[sort]).map(([id]) => id), facets }
  }

  it('finds, filters, counts and orders exactly as a naive reading of every document does', () => {
    const query = fc.record({
      text: fc.oneof(fc.constant(''), fc.array(fc.constantFrom(...WORDS, 'DRA', 'gol', 'cafe', 'uber', 'mo', 'nothingatall'), { minLength: 1, maxLength: 3 }).map(w => w.join(' '))),
      traits: fc.array(fc.record({ trait_type: fc.constantFrom(...TYPES), value: fc.constantFrom(...VALUES) }), { maxLength: 3 }),
      sort: fc.constantFrom<BrowseSort>('token_id', 'token_id_desc', 'name', 'name_desc', 'updated'),
      pageSize: fc.constantFrom(7, 50, 200),
    })
    let nonEmpty = 0
    fc.assert(fc.property(query, ({ text, traits, sort, pageSize }) => {
      const expected = naive(text, traits, sort)
      for (const reader of [bySql, indexed]) {
        const seen: string[] = []
        let page: BrowsePage
        let n = 1
        do {
          page = reader.browse(COLLECTION, { text, traits, sort, page: n, page_size: pageSize })
          expect(page.total).toBe(expected.ids.length)
          expect(page.pages).toBe(Math.max(1, Math.ceil(expected.ids.length / pageSize)))
          seen.push(...page.items.map(i => i.token_id))
          n++
        } while (n <= page.pages)
        expect(seen).toEqual(expected.ids)
        expect(page.facets).toEqual(expected.facets)
      }
      expect(walking.browse(COLLECTION, { text, traits, sort, page: 1, page_size: pageSize }).items.map(i => i.token_id)).toEqual(expected.ids.slice(0, pageSize))
      if (expected.ids.length > 0) nonEmpty++
    }), { seed: SEED, numRuns: 150 })
    // The queries were not all empty answers.
    expect(nonEmpty).toBeGreaterThan(40)
  })

  it('shows each token\'s latest name and traits, with {id} replaced as the gateway does', async () => {
    // Read once before the write: the index read then is stale after it.
    expect(indexed.browse(COLLECTION, { traits: [{ trait_type: 'Level', value: '3' }] }).total).toBe(0)
    await write(alice, '255', { name: 'Token {id}', image: 'ipfs://bafkreiaaaa', attributes: [{ trait_type: 'Level', value: 3 }] })
    await engine.lineage.settled()
    // The browser's default (SQL at this size), and the index, read again or the SQL plans meanwhile.
    for (const reader of [browser, indexed]) {
      const page = reader.browse(COLLECTION, { text: 'token', traits: [{ trait_type: 'Level', value: '3' }] })
      expect(page.items).toEqual([expect.objectContaining({ token_id: '255', name: `Token ${'0'.repeat(62)}ff`, image: 'ipfs://bafkreiaaaa', traits: [{ trait_type: 'Level', value: '3' }] })])
      expect(page.facets.find(f => f.trait_type === 'Level')?.values).toEqual([{ value: '3', count: 1 }])
    }
  })
})
