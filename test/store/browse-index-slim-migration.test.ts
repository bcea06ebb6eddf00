import { describe, expect, it } from 'vitest'
import { BROWSE_REBUILD_SETTING } from '../../src-main/store/index.js'
import { schemaStores } from '../helpers/schema-stores.js'

describe('product migration 20 (the smaller browse index)', () => {
  const { open, close, newDir } = schemaStores()

  it('replaces the cards of migration 19, asks for them to be built again, and a deleted slot still takes its card, text and counts', () => {
    const held = newDir()
    const old = open(held, 19)
    old.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES ('dk', 'open', 'pk', '', 'v1', 'tk', '1', 'bafy', 1, 'tx', 0)`).run()
    old.db.prepare(`INSERT INTO token_cards (data_key, meta_contract_id, token_key, token_id, name, description, image, traits, updated_at)
      VALUES ('dk', 'open', 'tk', '1', 'Red dragon', '', '', '[]', 0)`).run()
    old.db.prepare("INSERT INTO collection_profiles (token_key, chain_id, token_address, name, image, updated_at) VALUES ('tk', '1', '0xab', 'Dragons', '', 0)").run()
    old.db.prepare('DELETE FROM settings WHERE key = ?').run(BROWSE_REBUILD_SETTING)
    close(old)

    const store = open(held, 20)
    expect(store.getSetting(BROWSE_REBUILD_SETTING)).toBe('1')
    expect(store.db.prepare('SELECT count(*) FROM token_cards').pluck().get()).toBe(0)
    expect(store.db.prepare("SELECT rowid FROM token_card_text WHERE token_card_text MATCH 'drag*'").pluck().all()).toEqual([])
    expect(store.db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'card_totals'").pluck().get()).toBe(0)
    // What the creator named a collection is theirs: kept.
    expect(store.db.prepare('SELECT name FROM collection_profiles').pluck().all()).toEqual(['Dragons'])

    store.db.prepare("INSERT INTO card_collections (id, token_key, meta_contract_id) VALUES (3, 'tk', 'open')").run()
    store.db.prepare(`INSERT INTO token_cards (collection, data_key, token_id, name, description, image, traits, updated_at)
      VALUES (3, 'dk', '1', 'Red dragon', 'Breathes fire', '', '[]', 0)`).run()
    store.db.prepare("INSERT INTO trait_values (id, collection, trait_type, value, tokens) VALUES (7, 3, 'Fur', 'Red', 1)").run()
    store.db.prepare('INSERT INTO token_traits (value_id, card) VALUES (7, 1)').run()
    expect(store.db.prepare('SELECT cards FROM card_collections WHERE id = 3').pluck().get()).toBe(1)
    expect(store.db.prepare("SELECT rowid FROM token_card_text WHERE token_card_text MATCH '\"drag\"* \"fir\"*'").pluck().all()).toEqual([1])
    store.db.prepare("DELETE FROM slots WHERE data_key = 'dk'").run()
    expect(store.db.prepare('SELECT count(*) FROM token_cards').pluck().get()).toBe(0)
    expect(store.db.prepare('SELECT count(*) FROM trait_values').pluck().get()).toBe(0)
    expect(store.db.prepare('SELECT cards FROM card_collections WHERE id = 3').pluck().get()).toBe(0)
    expect(store.db.prepare("SELECT rowid FROM token_card_text WHERE token_card_text MATCH 'drag*'").pluck().all()).toEqual([])
    expect(store.integrityCheck()).toBe('ok')
    close(store)

    const empty = open(newDir(), 20)
    expect(empty.getSetting(BROWSE_REBUILD_SETTING)).toBeUndefined()
    close(empty)
  })
})
