import type { Migration } from './migrations.js'

/**
 * Migration 25: a card is found by its collection and token id (the id order index, now unique)
 * instead of a unique key of its data_key and collection. The data_key key was one more index
 * a write inserts into at a random place (data keys are hashes), which is what slowed a
 * 1,000,000-token import as it grew (docs/BENCHMARKS.md), and 60 bytes a token on disk. The id
 * order index, which every page in id order already reads, holds the same uniqueness: within a
 * collection a token id names one token (its data key is derived from the collection's and the id).
 *
 * SQLite drops a table's constraint only by copying the table: the cards keep their ids (the
 * text index's rowids and the trait rows name them), and the triggers are made again as they were,
 * but the slot-delete trigger finds the card by collection and token id.
 */
export const cardIdKeyMigration: Migration = {
  version: 25,
  description: 'browse cards are keyed by collection and token id (one random-order index fewer)',
  up (db) {
    db.exec(`
      DROP TRIGGER token_cards_slot_delete;
      DROP TRIGGER token_card_text_insert;
      DROP TRIGGER token_card_text_update;
      DROP TRIGGER token_card_text_delete;
      DROP TRIGGER token_cards_version;

      CREATE TABLE token_cards_by_id (
        id          INTEGER PRIMARY KEY,
        collection  INTEGER NOT NULL REFERENCES card_collections (id),
        data_key    TEXT NOT NULL,
        token_id    TEXT NOT NULL,
        name        TEXT NOT NULL,
        description TEXT NOT NULL,
        image       TEXT NOT NULL,
        traits      TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;
      INSERT INTO token_cards_by_id (id, collection, data_key, token_id, name, description, image, traits, updated_at)
        SELECT id, collection, data_key, token_id, name, description, image, traits, updated_at FROM token_cards ORDER BY id;
      DROP TABLE token_cards;
      ALTER TABLE token_cards_by_id RENAME TO token_cards;

      -- The three orders a page is asked in; the first spells lineage/tokens TOKEN_ORDER_SQL.
      CREATE UNIQUE INDEX token_cards_id_order ON token_cards (collection, (printf('%02d', length(token_id)) || token_id));
      CREATE INDEX token_cards_name_order ON token_cards (collection, name COLLATE NOCASE, (printf('%02d', length(token_id)) || token_id));
      CREATE INDEX token_cards_updated_order ON token_cards (collection, updated_at, (printf('%02d', length(token_id)) || token_id));

      CREATE TRIGGER token_card_text_insert AFTER INSERT ON token_cards BEGIN
        INSERT INTO token_card_text (rowid, name, description) VALUES (NEW.id, NEW.name, NEW.description);
        UPDATE card_collections SET cards = cards + 1, version = version + 1 WHERE id = NEW.collection;
      END;
      CREATE TRIGGER token_card_text_update AFTER UPDATE OF name, description ON token_cards BEGIN
        INSERT INTO token_card_text (token_card_text, rowid, name, description) VALUES ('delete', OLD.id, OLD.name, OLD.description);
        INSERT INTO token_card_text (rowid, name, description) VALUES (NEW.id, NEW.name, NEW.description);
      END;
      CREATE TRIGGER token_card_text_delete AFTER DELETE ON token_cards BEGIN
        INSERT INTO token_card_text (token_card_text, rowid, name, description) VALUES ('delete', OLD.id, OLD.name, OLD.description);
        DELETE FROM token_traits WHERE card = OLD.id;
        UPDATE card_collections SET cards = cards - 1, version = version + 1 WHERE id = OLD.collection;
      END;
      CREATE TRIGGER token_cards_version AFTER UPDATE ON token_cards BEGIN
        UPDATE card_collections SET version = version + 1 WHERE id = NEW.collection;
      END;

      -- A rewind deletes slots and applies their transactions again, which writes the cards again.
      CREATE TRIGGER token_cards_slot_delete AFTER DELETE ON slots BEGIN
        DELETE FROM token_cards
          WHERE collection = (SELECT id FROM card_collections WHERE token_key = OLD.token_key AND meta_contract_id = OLD.meta_contract_id)
            AND (printf('%02d', length(token_id)) || token_id) = (printf('%02d', length(OLD.token_id)) || OLD.token_id);
      END;
    `)
  },
}
