import type { Migration } from './migrations.js'

/**
 * Migration 27: the gateway's kept documents (migration 9) take a fifth of the bytes.
 *
 * - **Deflated against their collection's dictionary.** A collection's documents are alike (the
 *   same keys, description, trait names and image prefix), so each is deflated (raw DEFLATE) with
 *   a preset dictionary made from the first documents kept for its collection and formatter build
 *   (`document_dictionaries`): about 500 → 30–150 bytes a document. A read inflates it (about
 *   5 µs).
 * - **Keyed by the token's small id** (`token_index.id`, migration 15) instead of its data_key,
 *   token_key and token id: a gateway read seeks `token_index_token` (token_key, token_id) for the
 *   id, then the row; the unique data_key index of this table (60 bytes a token) is gone.
 * - **The formatter build moves to the dictionary**: a document is current for a build when its
 *   dictionary was made under that build (one small row per collection, not 32 bytes a token).
 * - **The slot heads a document was made from are not stored**: the triggers below delete a
 *   token's row in the transaction that changes its slots (as migration 14's did), and a row is
 *   written only while the heads it was made from are the slots', so a row that exists is current.
 *   A token that leaves token_index (its last slot deleted) takes its row with it, so an id used
 *   again never finds another token's document.
 *
 * Kept documents are memos: the old rows are dropped, and the gateway keeps every token's
 * document again in the background at the next start, as it does after an import.
 */
export const documentDictionariesMigration: Migration = {
  version: 27,
  description: 'kept tokenURI documents deflated against a dictionary of their collection, keyed by token id (made again in the background)',
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
        token            INTEGER PRIMARY KEY,
        data_key         TEXT NOT NULL,
        meta_contract_id TEXT NOT NULL,
        dictionary       INTEGER NOT NULL REFERENCES document_dictionaries (id),
        etag             TEXT NOT NULL,
        body             BLOB NOT NULL
      ) STRICT;
      CREATE INDEX token_index_token ON token_index (token_key, token_id);

      CREATE TRIGGER token_documents_slot_insert AFTER INSERT ON slots BEGIN
        DELETE FROM token_documents WHERE token = (SELECT id FROM token_index WHERE data_key = NEW.data_key);
      END;
      CREATE TRIGGER token_documents_slot_update AFTER UPDATE ON slots BEGIN
        DELETE FROM token_documents WHERE token IN (SELECT id FROM token_index WHERE data_key IN (OLD.data_key, NEW.data_key));
      END;
      CREATE TRIGGER token_documents_slot_delete AFTER DELETE ON slots BEGIN
        DELETE FROM token_documents WHERE token = (SELECT id FROM token_index WHERE data_key = OLD.data_key);
      END;
      CREATE TRIGGER token_documents_token_delete AFTER DELETE ON token_index BEGIN
        DELETE FROM token_documents WHERE token = OLD.id;
      END;
    `)
  },
}
