import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cardOf, createBrowser, mergeDocument } from '../../../src-main/lineage/browse/index.js'
import { TraitIndexReader } from '../../../src-main/lineage/browse/trait-index.js'
import type { TraitIndex } from '../../../src-main/lineage/browse/trait-index.js'
import type { DocumentSlot } from '../../../src-main/lineage/browse/index.js'
import type { JsonValue } from '../../../src-main/dag/index.js'
import { createLineage } from '../../../src-main/lineage/engine/index.js'
import { formatTokenDocument, formatterFromService, keysCheckedAgainstService } from '../../../src-main/marine/index.js'
import type { MetadataFormatter } from '../../../src-main/marine/index.js'
import { BROWSE_REBUILD_SETTING, CARD_CHANGES_KEPT } from '../../../src-main/store/index.js'
import { loadMarineService } from '../../../services/toolchain/index.js'
import type { MarineServiceHandle } from '../../../services/toolchain/index.js'
import { testLog } from '../../helpers/logger.js'
import { builtService } from '../../helpers/services.js'
import { ed25519Signer } from '../../helpers/signers.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000ca4d5' }

describe('a token card is its document as the formatter builds it', () => {
  let service: MarineServiceHandle
  let formatter: MetadataFormatter
  beforeAll(async () => {
    service = await loadMarineService(builtService('formatter'), 'formatter')
    formatter = formatterFromService(service)
  })
  afterAll(() => { service.terminate() })

  it('merges random slots (aliases, writers, hidden aliases, {id}) to the fields the formatter serves', () => {
    const text = fc.constantFrom('Red', 'Gold {id}', 'a', '', 'Über')
    const content: fc.Arbitrary<JsonValue> = fc.oneof(
      fc.record({ name: text, description: text, image: fc.constantFrom('ipfs://bafy/{id}.png', 'x'), attributes: fc.constantFrom([{ trait_type: 'Fur', value: 'Red' }], [{ value: 5 }], 'none') }, { requiredKeys: [] }),
      text, fc.constant(null), fc.constant<JsonValue>([1, 2]),
    )
    const slot = fc.record({ alias: fc.constantFrom('', '', 'name', 'lore', '_hidden', 'description'), public_key: fc.constantFrom('pkA', 'pkB'), version: fc.constantFrom('v1', 'v2'), content })
    const slots = fc.uniqueArray(slot, { minLength: 1, maxLength: 5, selector: s => `${s.alias}\n${s.public_key}\n${s.version}` })
    fc.assert(fc.property(slots, fc.constantFrom('1', '255', '115792089237316195423570985008687907853269984665640564039457584007913129639935'), (list: DocumentSlot[], tokenId) => {
      const served = formatTokenDocument(formatter, tokenId, list)
      const merged = mergeDocument(list)
      expect(merged === undefined).toBe(!served.ok)
      if (!served.ok) return
      const document = JSON.parse(served.json) as Record<string, unknown>
      const card = cardOf(tokenId, merged)
      expect(card.name).toBe(typeof document.name === 'string' ? document.name : '')
      expect(card.description).toBe(typeof document.description === 'string' ? document.description : '')
      expect(card.image).toBe(typeof document.image === 'string' ? document.image : '')
      const attributes = Array.isArray(document.attributes) ? document.attributes as Array<{ trait_type?: string, value: unknown }> : []
      expect(card.traits).toEqual(attributes.map(a => ({ trait_type: a.trait_type ?? '', value: String(a.value) })))
    }), { seed: 4242, numRuns: 300 })
  })
})

describe('cards stay in step with the slots (real engine)', () => {
  let engine: TestEngine
  const alice = ed25519Signer()
  const sign = async (tokenId: string, doc: unknown, timestamp?: number): Promise<ReturnType<typeof alice.sign>> =>
    await alice.sign({ method: 'metadata', ...COLLECTION, token_id: tokenId, meta_contract_id: 'open', alias: '', version: 'v1', data: JSON.stringify(doc), mcdata: '', ...(timestamp === undefined ? {} : { timestamp }) })

  beforeAll(async () => {
    engine = await startTestEngine(['open'])
    engine.lineage.publish(await alice.sign({ method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'open', alias: '', version: '', data: '{}', mcdata: '', timestamp: Date.now() - 60_000 }))
    await engine.lineage.settled()
  })
  afterAll(async () => { await engine.stop() })

  const browse = (text = ''): Array<{ token_id: string, name: string }> =>
    createBrowser({ db: engine.store.db, keys: engine.lineage }).browse(COLLECTION, { text }).items.map(i => ({ token_id: i.token_id, name: i.name }))

  it('a late, earlier-signed write rewinds the token; its card ends on the canonical latest document, counted once', async () => {
    const now = Date.now()
    engine.lineage.publish(await sign('9', { name: 'Newest dragon', attributes: [{ trait_type: 'Fur', value: 'Gold' }] }, now))
    await engine.lineage.settled()
    expect(engine.lineage.publishBatch([await sign('9', { name: 'Older dragon', attributes: [{ trait_type: 'Fur', value: 'Red' }] }, now - 1000)], { replicated: true })[0]?.error).toBeUndefined()
    await engine.lineage.settled()
    expect(browse('dragon')).toEqual([{ token_id: '9', name: 'Newest dragon' }])
    expect(browse('older')).toEqual([])
    const facets = createBrowser({ db: engine.store.db, keys: engine.lineage }).browse(COLLECTION).facets
    expect(facets).toEqual([{ trait_type: 'Fur', values: [{ value: 'Gold', count: 1 }], more: 0 }])
  })

  it('a trait value whose last card left and then came back is counted again from one (its remembered id is gone)', async () => {
    const facet = (): unknown => createBrowser({ db: engine.store.db, keys: engine.lineage }).browse(COLLECTION).facets.find(f => f.trait_type === 'Eyes')?.values
    engine.lineage.publish(await sign('20', { name: 'Owl', attributes: [{ trait_type: 'Eyes', value: 'Amber' }] }))
    await engine.lineage.settled()
    expect(facet()).toEqual([{ value: 'Amber', count: 1 }])
    // Its only card changes value: the row of "Amber" is deleted (count 0), and "Jade" takes the next id.
    engine.lineage.publish(await sign('20', { name: 'Owl', attributes: [{ trait_type: 'Eyes', value: 'Jade' }] }))
    await engine.lineage.settled()
    expect(facet()).toEqual([{ value: 'Jade', count: 1 }])
    engine.lineage.publish(await sign('21', { name: 'Hawk', attributes: [{ trait_type: 'Eyes', value: 'Amber' }] }))
    engine.lineage.publish(await sign('22', { name: 'Kite', attributes: [{ trait_type: 'Eyes', value: 'Jade' }] }))
    await engine.lineage.settled()
    expect(facet()).toEqual([{ value: 'Jade', count: 2 }, { value: 'Amber', count: 1 }])
  })

  it('a store marked by migration 19 gets its cards built from the blocks at the engine\'s start', async () => {
    for (const id of ['1', '2', '3']) engine.lineage.publish(await sign(id, { name: `Moon ${id}`, description: 'lit' }))
    await engine.lineage.settled()
    const before = browse()
    const { db } = engine.store
    db.exec('DELETE FROM token_cards')
    expect(browse()).toEqual([])
    expect(db.prepare('SELECT count(*) FROM trait_values').pluck().get()).toBe(0)
    engine.store.setSetting(BROWSE_REBUILD_SETTING, '1')
    const keys = await loadMarineService(builtService('keys'), 'keys')
    const restarted = createLineage({ store: engine.store, blockstore: engine.blockstore, sandbox: engine.sandbox, keys: keysCheckedAgainstService(keys), log: testLog })
    restarted.start()
    await restarted.indexed()
    await restarted.stop()
    keys.terminate()
    expect(browse()).toEqual(before)
    expect(browse('moon lit')).toEqual([{ token_id: '1', name: 'Moon 1' }, { token_id: '2', name: 'Moon 2' }, { token_id: '3', name: 'Moon 3' }])
    expect(engine.store.getSetting(BROWSE_REBUILD_SETTING)).toBeUndefined()
  })

  it('every card written, changed or deleted counts once more in its collection\'s version, which a kept trait index is read again on', async () => {
    const { db } = engine.store
    const version = (): number => db.prepare('SELECT version FROM card_collections').pluck().get() as number
    const indexed = createBrowser({ db, keys: engine.lineage }, { traitIndexFrom: 0 })
    const furs = (): unknown => indexed.browse(COLLECTION, { traits: [{ trait_type: 'Fur', value: 'Silver' }] }).items.map(i => i.token_id)
    expect(furs()).toEqual([])
    const before = version()
    engine.lineage.publish(await sign('30', { name: 'Lynx', attributes: [{ trait_type: 'Fur', value: 'Silver' }] }))
    await engine.lineage.settled()
    expect(version()).toBe(before + 1)
    // The last read was under a millisecond: the index is read again at once.
    expect(furs()).toEqual(['30'])
    engine.lineage.publish(await sign('30', { name: 'Lynx', attributes: [{ trait_type: 'Fur', value: 'Grey' }] }))
    await engine.lineage.settled()
    expect(version()).toBe(before + 2)
    expect(furs()).toEqual([])
    db.prepare("DELETE FROM token_cards WHERE token_id = '30'").run()
    expect(version()).toBe(before + 3)
  })

  it('a kept trait index is mended from the journal of card changes (cards new, changed and gone) to what a whole read gives', async () => {
    const { db } = engine.store
    const doc = (id: string, fur: string, eyes?: string): unknown => ({ name: `Cat ${id}`, attributes: [{ trait_type: 'Fur', value: fur }, ...(eyes === undefined ? [] : [{ trait_type: 'Eyes', value: eyes }])] })
    for (const id of ['100', '200', '300', '400']) engine.lineage.publish(await sign(id, doc(id, 'Tabby')))
    await engine.lineage.settled()
    const reader = new TraitIndexReader(db)
    const collection = db.prepare('SELECT id FROM card_collections').pluck().get() as number
    const kept = reader.read(collection)!
    const indexed = createBrowser({ db, keys: engine.lineage }, { traitIndexFrom: 0 })
    const bySql = createBrowser({ db, keys: engine.lineage }, { traitIndexFrom: Infinity })
    const tabby = { traits: [{ trait_type: 'Fur', value: 'Tabby' }] }
    expect(indexed.browse(COLLECTION, tabby)).toEqual(bySql.browse(COLLECTION, tabby))

    // New tokens before, between and after the others (9 < 100 in token id order), one changed,
    // one changed twice, and one whose slot is deleted (its card goes with it).
    for (const [id, fur, eyes] of [['9', 'Tabby', 'Green'], ['250', 'Calico', undefined], ['5000', 'Tabby', 'Blue'], ['200', 'Calico', 'Blue'], ['300', 'Black', undefined]] as const) {
      engine.lineage.publish(await sign(id, doc(id, fur, eyes)))
    }
    await engine.lineage.settled()
    engine.lineage.publish(await sign('300', doc('300', 'Tabby', 'Green')))
    await engine.lineage.settled()
    db.prepare("DELETE FROM slots WHERE token_id = '100'").run()

    const mended = reader.mend(collection, kept)
    const whole = reader.read(collection)!
    expect(mended).toBeDefined()
    const dump = (ix: TraitIndex): unknown => ({
      version: ix.version,
      cards: [...ix.cards],
      counts: ix.counts(undefined).sort(),
      tabby: ix.counts(ix.match(ix.conditions([], new Map([['Fur', ['Tabby']]])))).sort(),
    })
    expect(dump(mended!)).toEqual(dump(whole))
    expect(dump(whole)).toMatchObject({ counts: expect.arrayContaining([['Fur', 'Tabby', 4], ['Fur', 'Calico', 2], ['Eyes', 'Blue', 2]]) })
    // The browser mends its own kept index the same way: its pages are the SQL plans' answers.
    for (const query of [tabby, { traits: [{ trait_type: 'Eyes', value: 'Blue' }] }, { text: 'cat', page_size: 2, page: 2 }]) {
      expect(indexed.browse(COLLECTION, query)).toEqual(bySql.browse(COLLECTION, query))
    }

    // Further behind than the journal reaches: not mended (the caller reads the whole collection).
    const touch = db.prepare('UPDATE token_cards SET updated_at = updated_at + 1 WHERE collection = ? AND token_id = ?')
    db.transaction(() => { for (let i = 0; i <= CARD_CHANGES_KEPT; i++) touch.run(collection, '9') })()
    expect(reader.mend(collection, whole)).toBeUndefined()
    expect(db.prepare('SELECT count(*) FROM card_changes WHERE collection = ?').pluck().get(collection)).toBe(CARD_CHANGES_KEPT)
    // A journal missing a step (as one written before store migration 26) is not trusted either.
    const at = reader.read(collection)!
    touch.run(collection, '9')
    touch.run(collection, '9')
    expect(reader.mend(collection, at)?.version).toBe(at.version + 2)
    db.prepare('DELETE FROM card_changes WHERE collection = ? AND version = ?').run(collection, at.version + 1)
    expect(reader.mend(collection, at)).toBeUndefined()
  })
})
