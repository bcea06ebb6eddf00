import type { Migration } from './migrations.js'

/**
 * Migration 27: the gateway's kept documents (migration 9) take a fifth of the bytes.
 *
 * - **Deflated against their collection's dictionary.** A collection's documents are alike (the
 *   same keys, description, trait names and image prefix), so each is deflated (raw DEFLATE) with
 *   a preset dictionary made from the first documents kept for its collection and formatter build
 *   (`document_dictionaries`): about 500 → 30–150 bytes a document. A read inflates it (about
 *   5 µs).
 * - **Keyed by (dictionary, token_id)**, WITHOUT ROWID: the dictionary's small id names the
 *   collection (and the formatter build), so a key is a few bytes, not a 44-character token_key;
 *   a row is small, so a gateway read is one seek of the table itself, where it was a seek of an
 *   index and then of the row. The unique data_key index (60 bytes a token) and the token id index
 *   (66) are gone. A row larger than about 1 KB after deflating (a collection of very unlike
 *   documents) spills to an overflow page, as in any WITHOUT ROWID table. A token keeps one
 *   document: writing one under a new dictionary (a new formatter build) deletes the old one.
 * - **The formatter build moves to the dictionary**: a document is current for a build when its
 *   dictionary was made under that build (one small row per collection, not 32 bytes a token).
 * - **The slot heads a document was made from are not stored**: the triggers below delete a
 *   token's row in the transaction that changes its slots (as migration 14's did, now by the new
 *   key), and a row is written only while the heads it was made from are the slots', so a row
 *   that exists is current.
 *
 * Kept documents are memos: the old rows are dropped, and the gateway keeps every token's
 * document again in the background at the next start, as it does after an import.
 */
export const documentDictionariesMigration: Migration = {
  version: 27,
  description: 'kept tokenURI documents deflated against a dictionary of their collection, keyed by token (made again in the background)',
  up (db) {
    db.exec(`
      DROP TRIGGER token_documents_slot_insert;
      DROP TRIGGER token_documents_slot_update;
      DROP TRIGGER token_documents_slot_delete;
      DROP TABLE token_documents;

      -- Immutable once written: documents deflated with it name it. token_key + formatter is the
      -- collection and the formatter build whose documents it was made from.
      CREATE TABLE document_dictionaries (
        id        INTEGER PRIMARY KEY,
        token_key TEXT NOT NULL,
        formatter TEXT NOT NULL,
        bytes     BLOB NOT NULL,
        UNIQUE (token_key, formatter)
      ) STRICT;

      CREATE TABLE token_documents (
        dictionary       INTEGER NOT NULL REFERENCES document_dictionaries (id),
        token_id         TEXT NOT NULL,
        data_key         TEXT NOT NULL,
        meta_contract_id TEXT NOT NULL,
        etag             TEXT NOT NULL,
        body             BLOB NOT NULL,
        PRIMARY KEY (dictionary, token_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TRIGGER token_documents_slot_insert AFTER INSERT ON slots BEGIN
        DELETE FROM token_documents WHERE token_id = NEW.token_id
          AND dictionary IN (SELECT id FROM document_dictionaries WHERE token_key = NEW.token_key);
      END;
      CREATE TRIGGER token_documents_slot_update AFTER UPDATE ON slots BEGIN
        DELETE FROM token_documents WHERE token_id = OLD.token_id
          AND dictionary IN (SELECT id FROM document_dictionaries WHERE token_key = OLD.token_key);
        DELETE FROM token_documents WHERE token_id = NEW.token_id
          AND dictionary IN (SELECT id FROM document_dictionaries WHERE token_key = NEW.token_key);
      END;
      CREATE TRIGGER token_documents_slot_delete AFTER DELETE ON slots BEGIN
        DELETE FROM token_documents WHERE token_id = OLD.token_id
          AND dictionary IN (SELECT id FROM document_dictionaries WHERE token_key = OLD.token_key);
      END;
    `)
  },
}
