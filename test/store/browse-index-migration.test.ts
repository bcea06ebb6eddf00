import { describe, expect, it } from 'vitest'
import { BROWSE_REBUILD_SETTING } from '../../src-main/store/index.js'
import { schemaStores } from '../helpers/schema-stores.js'

describe('product migration 19 (the browse index)', () => {
  const { open, close, newDir } = schemaStores()

  it('asks for the cards to be built when the store already holds slots, and not when it holds none', () => {
    const held = newDir()
    const old = open(held, 17)
    old.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES ('dk', 'open', 'pk', '', 'v1', 'tk', '1', 'bafy', 1, 'tx', 0)`).run()
    close(old)
    const store = open(held, 19)
    expect(store.getSetting(BROWSE_REBUILD_SETTING)).toBe('1')
    expect(store.db.prepare('SELECT count(*) FROM token_cards').pluck().get()).toBe(0)
    // A deleted slot takes its card, its text and its trait counts with it.
    store.db.prepare(`INSERT INTO token_cards (data_key, meta_contract_id, token_key, token_id, name, description, image, traits, updated_at)
      VALUES ('dk', 'open', 'tk', '1', 'Red dragon', '', '', '[]', 0)`).run()
    store.db.prepare("INSERT INTO trait_values (id, token_key, meta_contract_id, trait_type, value, tokens) VALUES (7, 'tk', 'open', 'Fur', 'Red', 1)").run()
    store.db.prepare('INSERT INTO token_traits (value_id, card) VALUES (7, 1)').run()
    expect(store.db.prepare("SELECT tokens FROM trait_values WHERE value = 'Red'").pluck().get()).toBe(1)
    expect(store.db.prepare("SELECT rowid FROM token_card_text WHERE token_card_text MATCH 'drag*'").pluck().all()).toEqual([1])
    store.db.prepare("DELETE FROM slots WHERE data_key = 'dk'").run()
    expect(store.db.prepare('SELECT count(*) FROM token_cards').pluck().get()).toBe(0)
    expect(store.db.prepare('SELECT count(*) FROM trait_values').pluck().get()).toBe(0)
    expect(store.db.prepare('SELECT count(*) FROM card_totals WHERE cards > 0').pluck().get()).toBe(0)
    expect(store.db.prepare("SELECT rowid FROM token_card_text WHERE token_card_text MATCH 'drag*'").pluck().all()).toEqual([])
    expect(store.integrityCheck()).toBe('ok')
    close(store)

    const empty = open(newDir(), 19)
    expect(empty.getSetting(BROWSE_REBUILD_SETTING)).toBeUndefined()
    close(empty)
  })
})
