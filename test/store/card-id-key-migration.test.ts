import { describe, expect, it } from 'vitest'
import { schemaStores } from '../helpers/schema-stores.js'

describe('product migration 25 (cards keyed by collection and token id)', () => {
  const { open, close, newDir } = schemaStores()

  it('keeps every card, its id, text and traits; the id key is unique; a deleted slot takes only its own token\'s card', () => {
    const held = newDir()
    const old = open(held, 24)
    const slot = old.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES (?, 'open', 'pk', '', 'v1', 'tk', ?, 'bafy', 1, 'tx', 0)`)
    slot.run('dk9', '9')
    slot.run('dk10', '10')
    old.db.prepare("INSERT INTO card_collections (id, token_key, meta_contract_id) VALUES (3, 'tk', 'open')").run()
    const card = old.db.prepare(`INSERT INTO token_cards (id, collection, data_key, token_id, name, description, image, traits, updated_at)
      VALUES (?, 3, ?, ?, ?, '', '', '[]', 0)`)
    card.run(40, 'dk9', '9', 'Red dragon')
    card.run(41, 'dk10', '10', 'Blue whale')
    old.db.prepare("INSERT INTO trait_values (id, collection, trait_type, value, tokens) VALUES (7, 3, 'Fur', 'Red', 1)").run()
    old.db.prepare('INSERT INTO token_traits (value_id, card) VALUES (7, 40)').run()
    const versionBefore = old.db.prepare('SELECT version FROM card_collections WHERE id = 3').pluck().get() as number
    close(old)

    const store = open(held, 25)
    const db = store.db
    expect(db.prepare('SELECT id, data_key, token_id, name FROM token_cards ORDER BY id').all()).toEqual([
      { id: 40, data_key: 'dk9', token_id: '9', name: 'Red dragon' },
      { id: 41, data_key: 'dk10', token_id: '10', name: 'Blue whale' },
    ])
    expect(db.prepare('SELECT cards, version FROM card_collections WHERE id = 3').get()).toEqual({ cards: 2, version: versionBefore })
    expect(db.prepare("SELECT rowid FROM token_card_text WHERE token_card_text MATCH 'drag*'").pluck().all()).toEqual([40])
    // The data_key key is gone; the id order key refuses a second card of token 9.
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'token_cards' AND name LIKE 'sqlite_autoindex%'").pluck().get()).toBe(0)
    expect(() => db.prepare("INSERT INTO token_cards (collection, data_key, token_id, name, description, image, traits, updated_at) VALUES (3, 'other', '9', '', '', '', '[]', 0)").run())
      .toThrow(/UNIQUE constraint failed/)
    // The triggers are back: a new card counts and is searchable, a change counts.
    db.prepare("INSERT INTO token_cards (id, collection, data_key, token_id, name, description, image, traits, updated_at) VALUES (42, 3, 'dk11', '11', 'Green frog', '', '', '[]', 0)").run()
    db.prepare("UPDATE token_cards SET name = 'Green toad' WHERE id = 42").run()
    expect(db.prepare("SELECT rowid FROM token_card_text WHERE token_card_text MATCH 'toad*'").pluck().all()).toEqual([42])
    expect(db.prepare('SELECT cards, version FROM card_collections WHERE id = 3').get()).toEqual({ cards: 3, version: versionBefore + 2 })

    // Deleting token 9's slot takes its card, text and trait counts, and leaves 10's (ids 9 and 10
    // differ in length, so the key compares the id order expression, not the text).
    db.prepare("DELETE FROM slots WHERE data_key = 'dk9'").run()
    expect(db.prepare('SELECT token_id FROM token_cards ORDER BY id').pluck().all()).toEqual(['10', '11'])
    expect(db.prepare('SELECT count(*) FROM trait_values').pluck().get()).toBe(0)
    expect(db.prepare("SELECT rowid FROM token_card_text WHERE token_card_text MATCH 'drag*'").pluck().all()).toEqual([])
    expect(db.prepare('SELECT cards FROM card_collections WHERE id = 3').pluck().get()).toBe(2)
    // The card is found through the id order index, not by reading the table.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM token_cards WHERE collection = 3 AND (printf('%02d', length(token_id)) || token_id) = printf('%02d', length('10')) || '10'").all() as Array<{ detail: string }>
    expect(plan.map(p => p.detail).join('\n')).toMatch(/USING INDEX token_cards_id_order/)
    expect(store.integrityCheck()).toBe('ok')
  })
})
