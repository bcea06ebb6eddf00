import type { Migration } from './migrations.js'

/**
 * Migration 23: the chain writer (src-main/chain-write). Each transaction the creator sends from the app is kept with
 * what it asked for and where it is (sent, mined, confirmed, failed), so its progress survives a
 * restart and the node resumes tracking it; EIP-4906 MetadataUpdate/BatchMetadataUpdate events
 * seen in a confirmed transaction's receipt are recorded per collection.
 */
export const chainWritesMigration: Migration = {
  version: 23,
  description: 'chain writer: transactions sent from the app, and EIP-4906 metadata updates seen',
  up (db) {
    db.exec(`
      CREATE TABLE chain_txs (
        id              INTEGER PRIMARY KEY,
        chain_id        INTEGER NOT NULL,
        address         TEXT NOT NULL,
        from_address    TEXT NOT NULL,
        action          TEXT NOT NULL CHECK (action IN ('base_uri', 'token_uri', 'metadata_update')),
        function        TEXT NOT NULL,
        args            TEXT NOT NULL,
        tx_hash         TEXT NOT NULL UNIQUE,
        nonce           INTEGER NOT NULL,
        gas_limit       TEXT NOT NULL,
        max_fee_per_gas TEXT NOT NULL,
        raw             TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('sent', 'mined', 'confirmed', 'failed')),
        block_number    INTEGER,
        gas_used        TEXT,
        confirmations   INTEGER NOT NULL CHECK (confirmations >= 1),
        error           TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX chain_txs_open ON chain_txs (state) WHERE state IN ('sent', 'mined');
      CREATE INDEX chain_txs_collection ON chain_txs (chain_id, address, id);

      -- token_to is null for a single token's MetadataUpdate.
      CREATE TABLE chain_metadata_updates (
        chain_id     INTEGER NOT NULL,
        address      TEXT NOT NULL,
        tx_hash      TEXT NOT NULL,
        log_index    INTEGER NOT NULL,
        block_number INTEGER NOT NULL,
        token_from   TEXT NOT NULL,
        token_to     TEXT,
        recorded_at  INTEGER NOT NULL,
        PRIMARY KEY (chain_id, tx_hash, log_index)
      ) STRICT;
      CREATE INDEX chain_metadata_updates_collection ON chain_metadata_updates (chain_id, address, block_number);
    `)
  },
}
