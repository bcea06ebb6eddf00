import type { Migration } from './migrations.js'

/**
 * Migration 21: what meta contracts' `on_mint` wrote (lineage/engine/mint-writes.ts). A confirmed
 * mint's writes are slot versions like a transaction's, but no transaction row holds them: this
 * table does, one row per slot version written, keyed by the mint event it came from.
 *
 * - Written in the chain watcher's range transaction, with the event: a crash keeps both or neither.
 * - A reorg that removes the event deletes the row (ON DELETE CASCADE from chain_events, after the
 *   watcher has set each slot back to `previous_cid`, the head before the mint wrote it).
 * - A convergence rewind deletes a token's slots and applies its transactions again: the newest
 *   mint write of each slot is put back first from here (convergence.ts).
 */
export const mintWritesMigration: Migration = {
  version: 21,
  description: 'on_mint writes: the slot versions meta contracts wrote for confirmed mints',
  up (db) {
    db.exec(`
      CREATE TABLE mint_writes (
        watch_id         INTEGER NOT NULL,
        block_number     INTEGER NOT NULL,
        log_index        INTEGER NOT NULL,
        batch_index      INTEGER NOT NULL,
        ord              INTEGER NOT NULL,
        mint_hash        TEXT NOT NULL,
        block_time       INTEGER NOT NULL,
        token_key        TEXT NOT NULL,
        data_key         TEXT NOT NULL,
        token_id         TEXT NOT NULL,
        meta_contract_id TEXT NOT NULL,
        public_key       TEXT NOT NULL,
        alias            TEXT NOT NULL,
        version          TEXT NOT NULL,
        head_cid         TEXT NOT NULL,
        loose            INTEGER NOT NULL CHECK (loose IN (0, 1)),
        previous_cid     TEXT,
        previous_loose   INTEGER,
        previous_tx      TEXT,
        previous_at      INTEGER,
        PRIMARY KEY (watch_id, block_number, log_index, batch_index, ord),
        FOREIGN KEY (watch_id, block_number, log_index, batch_index)
          REFERENCES chain_events (watch_id, block_number, log_index, batch_index) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX mint_writes_token ON mint_writes (data_key, meta_contract_id, public_key, alias, version);
      CREATE INDEX mint_writes_collection ON mint_writes (token_key);
    `)
  },
}
