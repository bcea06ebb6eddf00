import type { Migration } from './migrations.js'

/**
 * Migration 18: the chain watcher (src-main/chain). Endpoints are set by the node's owner only;
 * a watch's checkpoint (`next_block`), its events and the owner index they give are written in
 * one transaction, so a crash never leaves one ahead of the others.
 */
export const chainWatcherMigration: Migration = {
  version: 18,
  description: 'chain watcher: endpoints, watched collections, their events and owner index',
  up (db) {
    db.exec(`
      CREATE TABLE chain_endpoints (
        chain_id         INTEGER PRIMARY KEY NOT NULL CHECK (chain_id > 0),
        http_url         TEXT NOT NULL,
        ws_url           TEXT NOT NULL,
        confirmations    INTEGER NOT NULL CHECK (confirmations >= 0),
        poll_interval_ms INTEGER NOT NULL CHECK (poll_interval_ms > 0),
        updated_at       INTEGER NOT NULL,
        CHECK (http_url <> '' OR ws_url <> '')
      ) STRICT;

      -- next_block is the checkpoint: every block before it is applied, none after. Both it and
      -- start_block are null until the contract's deployment block is found.
      CREATE TABLE chain_watches (
        id          INTEGER PRIMARY KEY,
        chain_id    INTEGER NOT NULL,
        address     TEXT NOT NULL,
        token_type  TEXT NOT NULL CHECK (token_type IN ('erc721', 'erc1155')),
        start_block INTEGER,
        next_block  INTEGER,
        active      INTEGER NOT NULL CHECK (active IN (0, 1)),
        created_at  INTEGER NOT NULL,
        UNIQUE (chain_id, address)
      ) STRICT;

      -- The hash of each applied range's last block, to find where a reorg forked.
      CREATE TABLE chain_checkpoints (
        watch_id INTEGER NOT NULL REFERENCES chain_watches (id) ON DELETE CASCADE,
        number   INTEGER NOT NULL,
        hash     TEXT NOT NULL,
        PRIMARY KEY (watch_id, number)
      ) STRICT, WITHOUT ROWID;

      -- Every applied transfer (a batch gives one row per id). The owner index below is what
      -- these rows give when replayed in order, so a reorg undoes by deleting rows and replaying.
      CREATE TABLE chain_events (
        watch_id     INTEGER NOT NULL REFERENCES chain_watches (id) ON DELETE CASCADE,
        block_number INTEGER NOT NULL,
        log_index    INTEGER NOT NULL,
        batch_index  INTEGER NOT NULL,
        block_hash   TEXT NOT NULL,
        tx_hash      TEXT NOT NULL,
        token_id     TEXT NOT NULL,
        from_address TEXT NOT NULL,
        to_address   TEXT NOT NULL,
        amount       TEXT NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('mint', 'transfer', 'burn')),
        applied_at   INTEGER NOT NULL,
        PRIMARY KEY (watch_id, block_number, log_index, batch_index)
      ) STRICT;
      CREATE INDEX chain_events_token ON chain_events (watch_id, token_id);
      CREATE INDEX chain_events_tx ON chain_events (tx_hash);

      -- A token ever minted. supply 0 means burned; owner is ERC-721's holder (null once burned,
      -- and for ERC-1155, whose holders are in chain_balances). mint_block and mint_tx are null
      -- for a token minted before the watch's start block (known from a later transfer).
      CREATE TABLE chain_tokens (
        watch_id   INTEGER NOT NULL REFERENCES chain_watches (id) ON DELETE CASCADE,
        token_id   TEXT NOT NULL,
        owner      TEXT,
        supply     TEXT NOT NULL,
        mint_block INTEGER,
        mint_tx    TEXT,
        burn_block INTEGER,
        PRIMARY KEY (watch_id, token_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE chain_balances (
        watch_id INTEGER NOT NULL REFERENCES chain_watches (id) ON DELETE CASCADE,
        token_id TEXT NOT NULL,
        holder   TEXT NOT NULL,
        amount   TEXT NOT NULL,
        PRIMARY KEY (watch_id, token_id, holder)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
