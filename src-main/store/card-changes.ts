import type { Migration } from './migrations.js'

/** Card changes a collection's journal keeps: a reader further behind reads the collection again. */
export const CARD_CHANGES_KEPT = 4096

/**
 * Migration 26: a journal of each browse collection's last CARD_CHANGES_KEPT card changes, one
 * row per step of `card_collections.version` (migration 24) naming the card written, changed or
 * deleted. A reader holding the collection's cards in memory (lineage/browse's trait index) as of
 * an older version reads what changed since, and mends its copy instead of reading a million
 * cards again after one edit. Rows are written and pruned by the triggers that count the version,
 * so every step has its row whichever connection or process wrote: a reader checks that it got
 * one per step, and reads the whole collection when it did not.
 */
export const cardChangesMigration: Migration = {
  version: 26,
  description: 'browse collections journal their last card changes (the in-memory trait index is mended, not read again)',
  up (db) {
    db.exec(`
      CREATE TABLE card_changes (
        collection INTEGER NOT NULL,
        version    INTEGER NOT NULL,
        card       INTEGER NOT NULL,
        PRIMARY KEY (collection, version)
      ) STRICT, WITHOUT ROWID;

      DROP TRIGGER token_card_text_insert;
      CREATE TRIGGER token_card_text_insert AFTER INSERT ON token_cards BEGIN
        INSERT INTO token_card_text (rowid, name, description) VALUES (NEW.id, NEW.name, NEW.description);
        UPDATE card_collections SET cards = cards + 1, version = version + 1 WHERE id = NEW.collection;
        INSERT INTO card_changes (collection, version, card) SELECT id, version, NEW.id FROM card_collections WHERE id = NEW.collection;
        DELETE FROM card_changes WHERE collection = NEW.collection AND version = (SELECT version FROM card_collections WHERE id = NEW.collection) - ${CARD_CHANGES_KEPT};
      END;
      DROP TRIGGER token_card_text_delete;
      CREATE TRIGGER token_card_text_delete AFTER DELETE ON token_cards BEGIN
        INSERT INTO token_card_text (token_card_text, rowid, name, description) VALUES ('delete', OLD.id, OLD.name, OLD.description);
        DELETE FROM token_traits WHERE card = OLD.id;
        UPDATE card_collections SET cards = cards - 1, version = version + 1 WHERE id = OLD.collection;
        INSERT INTO card_changes (collection, version, card) SELECT id, version, OLD.id FROM card_collections WHERE id = OLD.collection;
        DELETE FROM card_changes WHERE collection = OLD.collection AND version = (SELECT version FROM card_collections WHERE id = OLD.collection) - ${CARD_CHANGES_KEPT};
      END;
      DROP TRIGGER token_cards_version;
      CREATE TRIGGER token_cards_version AFTER UPDATE ON token_cards BEGIN
        UPDATE card_collections SET version = version + 1 WHERE id = NEW.collection;
        INSERT INTO card_changes (collection, version, card) SELECT id, version, NEW.id FROM card_collections WHERE id = NEW.collection;
        DELETE FROM card_changes WHERE collection = NEW.collection AND version = (SELECT version FROM card_collections WHERE id = NEW.collection) - ${CARD_CHANGES_KEPT};
      END;
    `)
  },
}
