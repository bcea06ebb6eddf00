import type { Migration } from './migrations.js'

/** The settings key that asks the engine to build the browse index from the slots at its next start. */
export const BROWSE_REBUILD_SETTING = 'browse.rebuild'

/**
 * Migration 19: the collection browser's index (lineage/browse). A token's document (its slots
 * under one contract, merged as the formatter merges them) gives one card: name, description,
 * image and traits. The engine's validator writes cards in the transaction that writes the slots;
 * a slot deleted (a rewind) deletes its card, and its re-application writes it again.
 *
 * - `token_cards`: one row per token and contract, with what a list shows and sorts by.
 * - `token_card_text`: FTS5 over name and description, an external-content index of
 *   `token_cards` kept by triggers, so a search is one index lookup.
 * - `trait_values`: each trait value of a collection and contract once, with how many cards hold
 *   it (the counts beside an unfiltered list: one range read, not a group over every trait).
 * - `token_traits`: (trait value, card), so a filter is one range read per value.
 * - `card_totals`: cards per collection and contract, kept by triggers (an unfiltered total).
 * - `collection_profiles`: the display name and image a creator gives a collection on this node
 *   (local only: never signed or replicated).
 *
 * Cards need the slots' contents (blocks), which a migration does not read: a store that holds
 * slots is marked, and the engine builds the cards at its next start. Migration 20
 * (browse-index-slim.ts) replaces these tables with smaller ones; `collection_profiles` stays.
 */
export const browseIndexMigration: Migration = {
  version: 19,
  description: 'collection browser: token cards, full-text search, trait filters with counts, collection names',
  up (db) {
    db.exec(`
      CREATE TABLE token_cards (
        id               INTEGER PRIMARY KEY,
        data_key         TEXT NOT NULL,
        meta_contract_id TEXT NOT NULL,
        token_key        TEXT NOT NULL,
        token_id         TEXT NOT NULL,
        name             TEXT NOT NULL,
        description      TEXT NOT NULL,
        image            TEXT NOT NULL,
        traits           TEXT NOT NULL,
        updated_at       INTEGER NOT NULL,
        UNIQUE (data_key, meta_contract_id)
      ) STRICT;
      -- The three orders a page is asked in; the first spells lineage/tokens TOKEN_ORDER_SQL.
      CREATE INDEX token_cards_id_order ON token_cards (token_key, meta_contract_id, (printf('%02d', length(token_id)) || token_id));
      CREATE INDEX token_cards_name_order ON token_cards (token_key, meta_contract_id, name COLLATE NOCASE, (printf('%02d', length(token_id)) || token_id));
      CREATE INDEX token_cards_updated_order ON token_cards (token_key, meta_contract_id, updated_at, (printf('%02d', length(token_id)) || token_id));

      -- Cards per collection and contract: an unfiltered list's total without counting.
      CREATE TABLE card_totals (
        token_key        TEXT NOT NULL,
        meta_contract_id TEXT NOT NULL,
        cards            INTEGER NOT NULL,
        PRIMARY KEY (token_key, meta_contract_id)
      ) STRICT, WITHOUT ROWID;

      CREATE VIRTUAL TABLE token_card_text USING fts5(name, description, content='token_cards', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER token_card_text_insert AFTER INSERT ON token_cards BEGIN
        INSERT INTO token_card_text (rowid, name, description) VALUES (NEW.id, NEW.name, NEW.description);
        INSERT INTO card_totals (token_key, meta_contract_id, cards) VALUES (NEW.token_key, NEW.meta_contract_id, 1)
          ON CONFLICT (token_key, meta_contract_id) DO UPDATE SET cards = cards + 1;
      END;
      CREATE TRIGGER token_card_text_update AFTER UPDATE OF name, description ON token_cards BEGIN
        INSERT INTO token_card_text (token_card_text, rowid, name, description) VALUES ('delete', OLD.id, OLD.name, OLD.description);
        INSERT INTO token_card_text (rowid, name, description) VALUES (NEW.id, NEW.name, NEW.description);
      END;
      CREATE TRIGGER token_card_text_delete AFTER DELETE ON token_cards BEGIN
        INSERT INTO token_card_text (token_card_text, rowid, name, description) VALUES ('delete', OLD.id, OLD.name, OLD.description);
        DELETE FROM token_traits WHERE card = OLD.id;
        UPDATE card_totals SET cards = cards - 1 WHERE token_key = OLD.token_key AND meta_contract_id = OLD.meta_contract_id;
      END;

      -- Each trait value of a collection once, with how many cards hold it: the counts beside an
      -- unfiltered list are one range read, and a card's trait rows are two small integers.
      CREATE TABLE trait_values (
        id               INTEGER PRIMARY KEY,
        token_key        TEXT NOT NULL,
        meta_contract_id TEXT NOT NULL,
        trait_type       TEXT NOT NULL,
        value            TEXT NOT NULL,
        tokens           INTEGER NOT NULL,
        UNIQUE (token_key, meta_contract_id, trait_type, value)
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
        DELETE FROM token_cards WHERE data_key = OLD.data_key AND meta_contract_id = OLD.meta_contract_id;
      END;

      CREATE TABLE collection_profiles (
        token_key     TEXT PRIMARY KEY NOT NULL,
        chain_id      TEXT NOT NULL,
        token_address TEXT NOT NULL,
        name          TEXT NOT NULL,
        image         TEXT NOT NULL,
        updated_at    INTEGER NOT NULL
      ) STRICT;
    `)
    if (db.prepare('SELECT 1 FROM slots LIMIT 1').get() !== undefined) {
      db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, '1', ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(BROWSE_REBUILD_SETTING, Date.now())
    }
  },
}
