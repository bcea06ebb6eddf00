import type { Migration } from './migrations.js'

/**
 * Migration 24: a change counter per browse collection. Every card written, changed or deleted
 * counts once more (by the triggers that already keep the card total), so a reader holding a
 * collection's cards in memory (lineage/browse's trait index) knows with one row read whether
 * they are still the table's, whichever connection or process wrote.
 */
export const cardVersionsMigration: Migration = {
  version: 24,
  description: 'browse collections count their card changes (the in-memory trait index stays exact)',
  up (db) {
    db.exec(`
      ALTER TABLE card_collections ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
      DROP TRIGGER token_card_text_insert;
      CREATE TRIGGER token_card_text_insert AFTER INSERT ON token_cards BEGIN
        INSERT INTO token_card_text (rowid, name, description) VALUES (NEW.id, NEW.name, NEW.description);
        UPDATE card_collections SET cards = cards + 1, version = version + 1 WHERE id = NEW.collection;
      END;
      DROP TRIGGER token_card_text_delete;
      CREATE TRIGGER token_card_text_delete AFTER DELETE ON token_cards BEGIN
        INSERT INTO token_card_text (token_card_text, rowid, name, description) VALUES ('delete', OLD.id, OLD.name, OLD.description);
        DELETE FROM token_traits WHERE card = OLD.id;
        UPDATE card_collections SET cards = cards - 1, version = version + 1 WHERE id = OLD.collection;
      END;
      -- Any change of a card (its text, image, traits or time): the card writer changes a card's
      -- trait rows only together with the card row itself.
      CREATE TRIGGER token_cards_version AFTER UPDATE ON token_cards BEGIN
        UPDATE card_collections SET version = version + 1 WHERE id = NEW.collection;
      END;
    `)
  },
}
