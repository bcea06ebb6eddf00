import type { Migration } from './migrations.js'

/**
 * Longest token id, in characters: a uint256 has at most 78 decimal digits. The positions table
 * that splits a token id into its one- and two-digit fragments holds this many rows.
 */
export const MAX_TOKEN_ID_DIGITS = 78

/**
 * Migration 15: what status screens and list totals read, kept instead of counted. At 1,000,000
 * tokens, count(DISTINCT data_key) over slots and sum(size) over blocks took 1–2.5 s, and a
 * collection's total or a token id search walked every slot of the collection. Triggers keep each
 * number in the transaction that changes the rows it counts, so a read is one row; the writes pay
 * a few row updates each (bench/import.bench.ts measures it).
 *
 * - `store_totals`: one row, the node's tokens, slots, transactions, blocks and block bytes.
 * - `token_index`: one row per token (a data_key with at least one slot), with a small integer id
 *   the search index refers to, kept by the slots triggers.
 * - `collection_totals`: tokens per collection.
 * - `token_id_trigrams`: FTS5 trigram index of token ids (contentless, no positions: the smallest
 *   form). A search for 3 digits or more asks it for the ids holding every trigram of the
 *   fragment, then keeps those that hold the fragment itself.
 * - `token_id_fragments`: per collection, how many token ids hold each 1- or 2-digit fragment
 *   (at most 110 rows a collection), as a trigram index cannot answer fragments shorter than a
 *   trigram. It gives those searches their total; their page walks the collection in order.
 */
export const readTotalsMigration: Migration = {
  version: 15,
  description: 'kept totals (node, collections, token id fragments) and a token id substring index',
  up (db) {
    db.exec(`
      CREATE TABLE store_totals (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        tokens       INTEGER NOT NULL,
        slots        INTEGER NOT NULL,
        transactions INTEGER NOT NULL,
        blocks       INTEGER NOT NULL,
        block_bytes  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE token_index (
        id        INTEGER PRIMARY KEY,
        data_key  TEXT NOT NULL UNIQUE,
        token_key TEXT NOT NULL,
        token_id  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE collection_totals (
        token_key TEXT PRIMARY KEY NOT NULL,
        tokens    INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE token_id_fragments (
        token_key TEXT NOT NULL,
        fragment  TEXT NOT NULL,
        tokens    INTEGER NOT NULL,
        PRIMARY KEY (token_key, fragment)
      ) STRICT, WITHOUT ROWID;

      -- 1…${MAX_TOKEN_ID_DIGITS}: the character positions of a token id, to split it in SQL (triggers cannot use WITH).
      CREATE TABLE token_id_positions (n INTEGER PRIMARY KEY) STRICT;

      CREATE VIRTUAL TABLE token_id_trigrams USING fts5(token_id, content='', tokenize='trigram', detail='none', contentless_delete=1);

      -- A collection's rejected transactions newest first (the UI's "N refused" and their
      -- reasons): one seek, where the collection index walked every transaction of it.
      CREATE INDEX transactions_rejected ON transactions (token_key, timestamp) WHERE status = 'rejected';
      -- The node's collections, newest binding first (the UI's collection list): without it the
      -- planner walks every applied transaction in time order looking for the few bindings.
      -- Descending, so a forward walk gives the listing's whole order (timestamp DESC, then rowid)
      -- with no sort, and the planner prefers it to the index of every applied transaction.
      CREATE INDEX transactions_bindings_applied ON transactions (timestamp DESC) WHERE method = 'contract' AND status = 'applied';
    `)
    const positions = db.prepare('INSERT INTO token_id_positions (n) VALUES (?)')
    for (let n = 1; n <= MAX_TOKEN_ID_DIGITS; n++) positions.run(n)

    // Filled once from what the database already holds, in bulk; the triggers keep it from here.
    db.exec(`
      INSERT INTO store_totals (id, tokens, slots, transactions, blocks, block_bytes) VALUES (1,
        0,
        (SELECT count(*) FROM slots),
        (SELECT count(*) FROM transactions),
        (SELECT count(*) FROM blocks),
        (SELECT coalesce(sum(size), 0) FROM blocks));
      INSERT INTO token_index (data_key, token_key, token_id)
        SELECT data_key, min(token_key), min(token_id) FROM slots GROUP BY data_key ORDER BY min(token_key), min(token_id);
      UPDATE store_totals SET tokens = (SELECT count(*) FROM token_index);
      INSERT INTO collection_totals (token_key, tokens) SELECT token_key, count(*) FROM token_index GROUP BY token_key;
      INSERT INTO token_id_trigrams (rowid, token_id) SELECT id, token_id FROM token_index;
      INSERT INTO token_id_fragments (token_key, fragment, tokens)
        SELECT token_key, fragment, count(*) FROM (
          SELECT t.id, t.token_key, substr(t.token_id, p.n, 1) AS fragment FROM token_index t JOIN token_id_positions p ON p.n <= length(t.token_id)
          UNION
          SELECT t.id, t.token_key, substr(t.token_id, p.n, 2) FROM token_index t JOIN token_id_positions p ON p.n < length(t.token_id))
        GROUP BY token_key, fragment;
    `)

    db.exec(`
      CREATE TRIGGER store_totals_slot_insert AFTER INSERT ON slots BEGIN
        UPDATE store_totals SET slots = slots + 1;
        INSERT INTO token_index (data_key, token_key, token_id) VALUES (NEW.data_key, NEW.token_key, NEW.token_id)
          ON CONFLICT (data_key) DO NOTHING;
      END;
      CREATE TRIGGER store_totals_slot_delete AFTER DELETE ON slots BEGIN
        UPDATE store_totals SET slots = slots - 1;
        DELETE FROM token_index WHERE data_key = OLD.data_key AND NOT EXISTS (SELECT 1 FROM slots WHERE data_key = OLD.data_key);
      END;
      -- A slot's key never changes in place today (an upsert moves its head); should one, the
      -- token it left and the one it joined are both brought up to date.
      CREATE TRIGGER store_totals_slot_rekey AFTER UPDATE OF data_key, token_key, token_id ON slots
        WHEN OLD.data_key IS NOT NEW.data_key OR OLD.token_key IS NOT NEW.token_key OR OLD.token_id IS NOT NEW.token_id BEGIN
        DELETE FROM token_index WHERE data_key = OLD.data_key;
        INSERT INTO token_index (data_key, token_key, token_id) SELECT data_key, token_key, token_id FROM slots WHERE data_key = OLD.data_key LIMIT 1;
        DELETE FROM token_index WHERE data_key = NEW.data_key;
        INSERT INTO token_index (data_key, token_key, token_id) VALUES (NEW.data_key, NEW.token_key, NEW.token_id);
      END;

      CREATE TRIGGER token_index_insert AFTER INSERT ON token_index BEGIN
        UPDATE store_totals SET tokens = tokens + 1;
        INSERT INTO collection_totals (token_key, tokens) VALUES (NEW.token_key, 1)
          ON CONFLICT (token_key) DO UPDATE SET tokens = tokens + 1;
        INSERT INTO token_id_trigrams (rowid, token_id) VALUES (NEW.id, NEW.token_id);
        INSERT INTO token_id_fragments (token_key, fragment, tokens)
          SELECT NEW.token_key, fragment, 1 FROM (
            SELECT substr(NEW.token_id, n, 1) AS fragment FROM token_id_positions WHERE n <= length(NEW.token_id)
            UNION
            SELECT substr(NEW.token_id, n, 2) FROM token_id_positions WHERE n < length(NEW.token_id))
          WHERE true
          ON CONFLICT (token_key, fragment) DO UPDATE SET tokens = tokens + 1;
      END;
      CREATE TRIGGER token_index_delete AFTER DELETE ON token_index BEGIN
        UPDATE store_totals SET tokens = tokens - 1;
        UPDATE collection_totals SET tokens = tokens - 1 WHERE token_key = OLD.token_key;
        DELETE FROM collection_totals WHERE token_key = OLD.token_key AND tokens = 0;
        DELETE FROM token_id_trigrams WHERE rowid = OLD.id;
        UPDATE token_id_fragments SET tokens = tokens - 1 WHERE token_key = OLD.token_key AND fragment IN (
          SELECT substr(OLD.token_id, n, 1) FROM token_id_positions WHERE n <= length(OLD.token_id)
          UNION
          SELECT substr(OLD.token_id, n, 2) FROM token_id_positions WHERE n < length(OLD.token_id));
        DELETE FROM token_id_fragments WHERE token_key = OLD.token_key AND tokens = 0;
      END;

      CREATE TRIGGER store_totals_transaction_insert AFTER INSERT ON transactions BEGIN
        UPDATE store_totals SET transactions = transactions + 1;
      END;
      CREATE TRIGGER store_totals_transaction_delete AFTER DELETE ON transactions BEGIN
        UPDATE store_totals SET transactions = transactions - 1;
      END;

      CREATE TRIGGER store_totals_block_insert AFTER INSERT ON blocks BEGIN
        UPDATE store_totals SET blocks = blocks + 1, block_bytes = block_bytes + NEW.size;
      END;
      CREATE TRIGGER store_totals_block_delete AFTER DELETE ON blocks BEGIN
        UPDATE store_totals SET blocks = blocks - 1, block_bytes = block_bytes - OLD.size;
      END;
      CREATE TRIGGER store_totals_block_resize AFTER UPDATE OF size ON blocks BEGIN
        UPDATE store_totals SET block_bytes = block_bytes - OLD.size + NEW.size;
      END;
    `)
  },
}
