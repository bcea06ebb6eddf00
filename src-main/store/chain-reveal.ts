import type { Migration } from './migrations.js'

/**
 * Migration 22: reveal on mint (src-main/chain/reveal.ts). A collection listed here is hidden
 * until minted: its tokens' real content is served only once the owner index says the token is
 * minted; before that the gateway sends `placeholder` (JSON text) or, when it is null, a 404.
 * Keyed by chain id and lower-case address, as the watcher keys its watches, but not tied to a
 * watch: unwatching a collection leaves it hidden (nothing is minted then), never public.
 */
export const chainRevealMigration: Migration = {
  version: 22,
  description: 'reveal on mint: collections hidden until each token is minted, with their placeholder',
  up (db) {
    db.exec(`
      CREATE TABLE chain_reveals (
        chain_id    INTEGER NOT NULL,
        address     TEXT NOT NULL CHECK (address = lower(address)),
        placeholder TEXT,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (chain_id, address)
      ) STRICT;
    `)
  },
}
