import type { Migration } from './migrations.js'
import { BROWSE_REBUILD_SETTING } from './browse-index.js'

/**
 * Migration 20: the browse index of migration 19, made smaller and cheaper to write. A card,
 * its three order indexes and its trait values named their collection by token_key and contract
 * (about 50 bytes, repeated in every index entry); they now name it by a small integer
 * (`card_collections`, which also keeps the card totals `card_totals` kept). The text index keeps
 * no positions or column sizes (`detail=none, columnsize=0`): a search asks whether every word
 * begins a word of the name or the description, never for a phrase or a rank. At 10,000 cards:
 * about 840 → 540 bytes a card, and a quarter less time to write one (docs/BENCHMARKS.md).
 *
 * The cards are made again from the slots, in the background at the next start, as migration 19
 * asked: the old tables go, and a store holding slots is marked.
 */
export const browseIndexSlimMigration: Migration = {
  version: 20,
  description: 'a smaller browse index: collections by integer id, a text index without positions',
  up (db) {
    db.exec(`
      DROP TRIGGER IF EXISTS token_cards_slot_delete;
      DROP TABLE IF EXISTS token_card_text;
      DROP TABLE IF EXISTS token_traits;
      DROP TABLE IF EXISTS trait_values;
      DROP TABLE IF EXISTS token_cards;
      DROP TABLE IF EXISTS card_totals;

      -- A collection under one contract, as the browser shows it, and how many cards it has.
      CREATE TABLE card_collections (
        id               INTEGER PRIMARY KEY,
        token_key        TEXT NOT NULL,
        meta_contract_id TEXT NOT NULL,
        cards            INTEGER NOT NULL DEFAULT 0,
        UNIQUE (token_key, meta_contract_id)
      ) STRICT;

      CREATE TABLE token_cards (
        id          INTEGER PRIMARY KEY,
        collection  INTEGER NOT NULL REFERENCES card_collections (id),
        data_key    TEXT NOT NULL,
        token_id    TEXT NOT NULL,
        name        TEXT NOT NULL,
        description TEXT NOT NULL,
        image       TEXT NOT NULL,
        traits      TEXT NOT NULL,
        updated_at  INTEGER NOT NULL,
        UNIQUE (data_key, collection)
      ) STRICT;
      -- The three orders a page is asked in; the first spells lineage/tokens TOKEN_ORDER_SQL.
      CREATE INDEX token_cards_id_order ON token_cards (collection, (printf('%02d', length(token_id)) || token_id));
      CREATE INDEX token_cards_name_order ON token_cards (collection, name COLLATE NOCASE, (printf('%02d', length(token_id)) || token_id));
      CREATE INDEX token_cards_updated_order ON token_cards (collection, updated_at, (printf('%02d', length(token_id)) || token_id));

      CREATE VIRTUAL TABLE token_card_text USING fts5(name, description, content='token_cards', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', detail='none', columnsize=0);
      CREATE TRIGGER token_card_text_insert AFTER INSERT ON token_cards BEGIN
        INSERT INTO token_card_text (rowid, name, description) VALUES (NEW.id, NEW.name, NEW.description);
        UPDATE card_collections SET cards = cards + 1 WHERE id = NEW.collection;
      END;
      CREATE TRIGGER token_card_text_update AFTER UPDATE OF name, description ON token_cards BEGIN
        INSERT INTO token_card_text (token_card_text, rowid, name, description) VALUES ('delete', OLD.id, OLD.name, OLD.description);
        INSERT INTO token_card_text (rowid, name, description) VALUES (NEW.id, NEW.name, NEW.description);
      END;
      CREATE TRIGGER token_card_text_delete AFTER DELETE ON token_cards BEGIN
        INSERT INTO token_card_text (token_card_text, rowid, name, description) VALUES ('delete', OLD.id, OLD.name, OLD.description);
        DELETE FROM token_traits WHERE card = OLD.id;
        UPDATE card_collections SET cards = cards - 1 WHERE id = OLD.collection;
      END;

      -- Each trait value of a collection once, with how many cards hold it.
      CREATE TABLE trait_values (
        id         INTEGER PRIMARY KEY,
        collection INTEGER NOT NULL REFERENCES card_collections (id),
        trait_type TEXT NOT NULL,
        value      TEXT NOT NULL,
        tokens     INTEGER NOT NULL,
        UNIQUE (collection, trait_type, value)
      ) STRICT;
      CREATE TABLE token_traits (
        value_id INTEGER NOT NULL,
        card     INTEGER NOT NULL,
        PRIMARY KEY (value_id, card)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX token_traits_card ON token_traits (card);
      CREATE TRIGGER trait_values_delete AFTER DELETE ON token_traits BEGIN
        UPDATE trait_values SET tokens = tokens - 1 WHERE id = OLD.value_id;
        DELETE FROM trait_values WHERE id = OLD.value_id AND tokens = 0;
      END;

      -- A rewind deletes slots and applies their transactions again, which writes the cards again.
      CREATE TRIGGER token_cards_slot_delete AFTER DELETE ON slots BEGIN
        DELETE FROM token_cards WHERE data_key = OLD.data_key
          AND collection = (SELECT id FROM card_collections WHERE token_key = OLD.token_key AND meta_contract_id = OLD.meta_contract_id);
      END;
    `)
    if (db.prepare('SELECT 1 FROM slots LIMIT 1').get() !== undefined) {
      db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, '1', ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(BROWSE_REBUILD_SETTING, Date.now())
    }
  },
}
