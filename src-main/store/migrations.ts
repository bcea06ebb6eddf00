import type { Database } from 'better-sqlite3'
import { elideTransaction, versionBlockHash } from '../dag/index.js'
import type { TransactionFields } from '../dag/index.js'
import { createSecretVault } from '../secrets/index.js'
import { BLOCK_PAGE_ROWS } from './blockstore-constants.js'
import { readTotalsMigration } from './read-totals.js'
import { tokenPageIndexMigration } from './token-page-index.js'
import { chainWatcherMigration } from './chain-watcher.js'
import { browseIndexMigration } from './browse-index.js'
import { browseIndexSlimMigration } from './browse-index-slim.js'
import { mintWritesMigration } from './mint-writes.js'
import { chainRevealMigration } from './chain-reveal.js'
import { chainWritesMigration } from './chain-writes.js'
import { cardChangesMigration } from './card-changes.js'
import { documentDictionariesMigration } from './document-dictionaries.js'
import { cardIdKeyMigration } from './card-id-key.js'
import { cardVersionsMigration } from './card-versions.js'

/** What a migration may use besides the database. */
export interface MigrationContext {
  /** The folder holding the database (the node's data dir). */
  dataDir: string
}

/**
 * One schema step. `version` is the schema version after it runs; versions are 1, 2, 3… with
 * no gaps. A migration runs inside the runner's transaction, so it must stay synchronous. It
 * answers `{ vacuum: true }` when it removed what must not stay in the file's free pages, or
 * freed space the disk should get back: the runner then rebuilds the file once the transaction
 * has committed.
 */
export interface Migration {
  readonly version: number
  readonly description: string
  up(db: Database, context: MigrationContext): { vacuum: true } | void
}

/** Every migration, in order. Append only: a released migration never changes. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'node settings',
    up (db) {
      db.exec(`
        CREATE TABLE settings (
          key        TEXT PRIMARY KEY NOT NULL,
          value      TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
      `)
    },
  },
  {
    version: 2,
    description: 'IPLD blocks',
    up (db) {
      // Keyed by multihash, as Kubo and blockstore-core key theirs: the same bytes reached
      // through a CIDv0, a CIDv1 or another codec are one block, stored once, and `has` answers
      // for each of those CIDs. `codec` keeps the codec of the first CID stored, so listing the
      // blocks (GC, export) can rebuild a CID whose links can be walked.
      // A rowid table, not WITHOUT ROWID: blocks run up to a MiB, far above the small rows
      // WITHOUT ROWID is meant for.
      db.exec(`
        CREATE TABLE blocks (
          multihash  BLOB PRIMARY KEY NOT NULL,
          codec      INTEGER NOT NULL,
          bytes      BLOB NOT NULL,
          size       INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        ) STRICT;
      `)
    },
  },
  {
    version: 3,
    description: 'transactions, receipts, slots, contract bindings, registry, pins, jobs',
    up (db) {
      db.exec(`
        -- Every accepted signed transaction. seq is the arrival order the validator follows;
        -- (public_key, nonce) is unique, which is what rejects a replayed signature.
        CREATE TABLE transactions (
          seq              INTEGER PRIMARY KEY AUTOINCREMENT,
          hash             TEXT NOT NULL UNIQUE,
          method           TEXT NOT NULL CHECK (method IN ('contract', 'metadata', 'clone')),
          meta_contract_id TEXT NOT NULL,
          token_key        TEXT NOT NULL,
          data_key         TEXT NOT NULL,
          chain_id         TEXT NOT NULL,
          token_address    TEXT NOT NULL,
          token_id         TEXT NOT NULL,
          alias            TEXT NOT NULL,
          version          TEXT NOT NULL,
          public_key       TEXT NOT NULL,
          nonce            TEXT NOT NULL,
          data             TEXT NOT NULL,
          mcdata           TEXT NOT NULL,
          signature        TEXT NOT NULL,
          timestamp        INTEGER NOT NULL,
          status           TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'rejected')),
          UNIQUE (public_key, nonce)
        ) STRICT;
        CREATE INDEX transactions_pending ON transactions (seq) WHERE status = 'pending';
        CREATE INDEX transactions_token ON transactions (token_key, seq);
        CREATE INDEX transactions_data_key ON transactions (data_key, seq);

        -- Every transaction ends with exactly one receipt.
        CREATE TABLE receipts (
          hash      TEXT PRIMARY KEY NOT NULL REFERENCES transactions (hash),
          status    TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
          reason    TEXT NOT NULL,
          heads     TEXT NOT NULL,
          timestamp INTEGER NOT NULL
        ) STRICT;

        -- One row per slot; head_cid is the newest block of the slot's version chain.
        CREATE TABLE slots (
          data_key         TEXT NOT NULL,
          meta_contract_id TEXT NOT NULL,
          public_key       TEXT NOT NULL,
          alias            TEXT NOT NULL,
          version          TEXT NOT NULL,
          token_key        TEXT NOT NULL,
          token_id         TEXT NOT NULL,
          head_cid         TEXT NOT NULL,
          loose            INTEGER NOT NULL CHECK (loose IN (0, 1)),
          last_tx          TEXT NOT NULL,
          updated_at       INTEGER NOT NULL,
          PRIMARY KEY (data_key, meta_contract_id, public_key, alias, version)
        ) STRICT;
        CREATE INDEX slots_token ON slots (token_key, token_id);

        -- Which meta contract governs a collection, who bound it (the only key that may rebind
        -- it), and the contract's configuration (e.g. collab's collaborators).
        CREATE TABLE contract_bindings (
          token_key        TEXT PRIMARY KEY NOT NULL,
          chain_id         TEXT NOT NULL,
          token_address    TEXT NOT NULL,
          meta_contract_id TEXT NOT NULL,
          public_key       TEXT NOT NULL,
          data             TEXT NOT NULL,
          tx_hash          TEXT NOT NULL,
          updated_at       INTEGER NOT NULL
        ) STRICT;

        -- Contract code the node can run: built-ins and user-deployed Wasm, stored as blocks.
        CREATE TABLE meta_contracts (
          meta_contract_id TEXT PRIMARY KEY NOT NULL,
          cid              TEXT NOT NULL,
          name             TEXT NOT NULL,
          owner_public_key TEXT,
          builtin          INTEGER NOT NULL CHECK (builtin IN (0, 1)),
          created_at       INTEGER NOT NULL
        ) STRICT;

        -- Named well-known contracts; only the owner may repoint an entry.
        CREATE TABLE registry (
          registry_id      TEXT PRIMARY KEY NOT NULL,
          registry_name    TEXT NOT NULL,
          meta_contract_id TEXT NOT NULL,
          owner_public_key TEXT NOT NULL,
          updated_at       INTEGER NOT NULL
        ) STRICT;

        -- GC roots.
        CREATE TABLE pins (
          cid        TEXT PRIMARY KEY NOT NULL,
          recursive  INTEGER NOT NULL CHECK (recursive IN (0, 1)),
          name       TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) STRICT;

        -- Long work (import, export, sync, GC) that reports progress and resumes after a crash.
        CREATE TABLE jobs (
          id         TEXT PRIMARY KEY NOT NULL,
          kind       TEXT NOT NULL,
          state      TEXT NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'failed', 'done')),
          params     TEXT NOT NULL,
          cursor     TEXT NOT NULL,
          done       INTEGER NOT NULL,
          total      INTEGER,
          error      TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
      `)
    },
  },
  {
    version: 4,
    description: 'numeric token order of a collection, for keyset paging',
    up (db) {
      // Token ids are canonical decimals (no leading zeros), so two digits of length followed by
      // the digits sort as numbers: 2 < 10 < 100. A page of list_tokens is then one seek into
      // this index after the previous page's last key, however deep the page is. The query must
      // spell the expression exactly so (lineage/tokens TOKEN_ORDER_SQL) for SQLite to use it.
      db.exec(`
        CREATE INDEX slots_token_order ON slots (token_key, (printf('%02d', length(token_id)) || token_id));
      `)
    },
  },
  {
    version: 5,
    description: 'signed registry writes',
    up (db) {
      db.exec(`
        -- Every accepted signed write of a registry entry: the proof of who set it, and through
        -- UNIQUE (public_key, nonce) what rejects a replayed signature.
        CREATE TABLE registry_writes (
          seq              INTEGER PRIMARY KEY AUTOINCREMENT,
          hash             TEXT NOT NULL UNIQUE,
          registry_id      TEXT NOT NULL,
          registry_name    TEXT NOT NULL,
          meta_contract_id TEXT NOT NULL,
          public_key       TEXT NOT NULL,
          nonce            TEXT NOT NULL,
          signature        TEXT NOT NULL,
          timestamp        INTEGER NOT NULL,
          UNIQUE (public_key, nonce)
        ) STRICT;
      `)
    },
  },
  {
    version: 6,
    description: 'replication: followed collections, remembered peers, canonical transaction order',
    up (db) {
      db.exec(`
        -- Collections this node replicates (token_key); auto = followed because this node wrote to it.
        CREATE TABLE follows (
          token_key     TEXT PRIMARY KEY NOT NULL,
          chain_id      TEXT NOT NULL,
          token_address TEXT NOT NULL,
          auto          INTEGER NOT NULL CHECK (auto IN (0, 1)),
          added_at      INTEGER NOT NULL,
          synced_at     INTEGER
        ) STRICT;

        -- Peers added by hand (or learnt from the bootstrap list), dialled again at every start.
        CREATE TABLE peers (
          peer_id    TEXT PRIMARY KEY NOT NULL,
          address    TEXT NOT NULL,
          added_at   INTEGER NOT NULL,
          last_seen  INTEGER
        ) STRICT;

        -- A collection's transactions in canonical order (timestamp, hash): the sync protocol's
        -- ranges and fingerprints are seeks into this index.
        CREATE INDEX transactions_canonical ON transactions (token_key, timestamp, hash);
      `)
    },
  },
  {
    version: 7,
    description: 'canonical (timestamp, hash) order of a token\'s transactions and of a collection\'s bindings',
    up (db) {
      // Convergence (lineage/engine/convergence.ts): storing a transaction asks whether its token,
      // or its collection's bindings, already hold one later in canonical order; each question is
      // one seek into one of these. The bindings index is partial: bindings are few, and storing
      // a metadata transaction does not pay for it.
      db.exec(`
        CREATE INDEX transactions_token_canonical ON transactions (data_key, timestamp, hash);
        CREATE INDEX transactions_bindings_canonical ON transactions (token_key, timestamp, hash) WHERE method = 'contract';
      `)
    },
  },
  {
    version: 8,
    description: 'remote pinning: pinning services and the pin requests pushed to them',
    up (db) {
      db.exec(`
        -- IPFS Pinning Service API endpoints. token is the service's secret: it stays in this
        -- database and no API returns it. auto_after_* is how far "pin everything I pin" got
        -- through the pins table, in (created_at, cid) order.
        CREATE TABLE remote_pin_services (
          name                  TEXT PRIMARY KEY NOT NULL,
          endpoint              TEXT NOT NULL,
          token                 TEXT NOT NULL,
          auto_pin              INTEGER NOT NULL CHECK (auto_pin IN (0, 1)),
          auto_after_created_at INTEGER NOT NULL,
          auto_after_cid        TEXT NOT NULL,
          created_at            INTEGER NOT NULL
        ) STRICT;

        -- One CID pushed to one service, followed until pinned or failed. A row whose next_check_at
        -- is set is still followed, also after a restart; requestid is null while the POST that
        -- creates the request is unanswered (a restart then looks the CID up at the service).
        CREATE TABLE remote_pins (
          service       TEXT NOT NULL REFERENCES remote_pin_services (name) ON DELETE CASCADE,
          cid           TEXT NOT NULL,
          name          TEXT NOT NULL,
          requestid     TEXT,
          status        TEXT NOT NULL CHECK (status IN ('queued', 'pinning', 'pinned', 'failed')),
          reason        TEXT NOT NULL,
          delegates     TEXT NOT NULL,
          checks        INTEGER NOT NULL,
          failures      INTEGER NOT NULL,
          next_check_at INTEGER,
          created_at    INTEGER NOT NULL,
          updated_at    INTEGER NOT NULL,
          PRIMARY KEY (service, cid)
        ) STRICT;
        CREATE INDEX remote_pins_following ON remote_pins (next_check_at) WHERE next_check_at IS NOT NULL;
      `)
    },
  },
  {
    version: 9,
    description: 'formatted tokenURI documents',
    up (db) {
      db.exec(`
        -- tokenURI documents as the gateway last formatted them, so that a restart serves them at
        -- once instead of formatting every token again. A row is only a memo: it is used while
        -- heads (the token's slot head CIDs, sorted, comma-joined) still equals the token's slots
        -- under meta_contract_id, the collection is still bound to that contract, and formatter
        -- names the formatter build that made it; anything else is made again and replaces it.
        CREATE TABLE token_documents (
          data_key         TEXT PRIMARY KEY NOT NULL,
          token_key        TEXT NOT NULL,
          token_id         TEXT NOT NULL,
          meta_contract_id TEXT NOT NULL,
          formatter        TEXT NOT NULL,
          heads            TEXT NOT NULL,
          etag             TEXT NOT NULL,
          json             TEXT NOT NULL
        ) STRICT;
      `)
    },
  },
  {
    version: 10,
    description: 'applied transactions in time order',
    up (db) {
      // get_complete_transactions pages through the applied transactions of every collection by
      // (timestamp, hash): each page is one seek into this index after the previous page's last
      // key. Partial: pending and rejected transactions are not in it, and cost nothing here.
      db.exec(`
        CREATE INDEX transactions_applied_time ON transactions (timestamp, hash) WHERE status = 'applied';
      `)
    },
  },
  {
    version: 11,
    description: 'receipts say when a write stored nothing new; contract addresses in one (lower) case',
    up (db) {
      db.exec(`
        -- 1 when every write the contract approved already was its slot's current content, so
        -- no version was stored and no head moved (heads then names the versions holding it).
        ALTER TABLE receipts ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0 CHECK (unchanged IN (0, 1));

        -- The signed text lower-cases token_address, and new rows store it so; rows stored as the
        -- client spelt it are brought to that form, so a collection has one spelling everywhere
        -- (searches, bindings, follows). Hashes and signatures do not change: they cover the
        -- lower-cased text. lower() changes only A-Z, all an address can hold.
        UPDATE transactions SET token_address = lower(token_address) WHERE token_address != lower(token_address);
        UPDATE contract_bindings SET token_address = lower(token_address) WHERE token_address != lower(token_address);
        UPDATE follows SET token_address = lower(token_address) WHERE token_address != lower(token_address);
      `)
    },
  },
  {
    version: 12,
    description: 'remote pinning service tokens moved out of the database',
    up (db, { dataDir }) {
      // The token column keeps only what listings show of a token (its mask); the token itself
      // goes to the credentials file, sealed (src-main/secrets). The file is written first: if
      // that fails, the transaction rolls back and the tokens stay where they were.
      const rows = db.prepare('SELECT name, token FROM remote_pin_services').all() as Array<{ name: string, token: string }>
      if (rows.length === 0) return
      const vault = createSecretVault({ dir: dataDir })
      for (const { name, token } of rows) vault.set(remotePinningSecretId(name), token)
      db.exec(`
        UPDATE remote_pin_services SET token = CASE WHEN length(token) < 16 THEN '********' ELSE '********' || substr(token, -4) END;
      `)
      // The old values are in free space of the file and in the WAL until the file is rebuilt.
      return { vacuum: true }
    },
  },
  {
    version: 13,
    description: 'ipfs:// snapshots of collections',
    up (db) {
      // One row per snapshot taken: a UnixFS folder of a collection's tokenURI documents, pinned
      // under root_cid (the pin is what keeps its blocks; this row is the dated list). The same
      // content taken again gives the same root, so the row is keyed by collection and root.
      db.exec(`
        CREATE TABLE snapshots (
          token_key     TEXT NOT NULL,
          root_cid      TEXT NOT NULL,
          chain_id      TEXT NOT NULL,
          token_address TEXT NOT NULL,
          created_at    INTEGER NOT NULL,
          tokens        INTEGER NOT NULL,
          bytes         INTEGER NOT NULL,
          json_suffix   INTEGER NOT NULL CHECK (json_suffix IN (0, 1)),
          sharded       INTEGER NOT NULL CHECK (sharded IN (0, 1)),
          PRIMARY KEY (token_key, root_cid)
        ) STRICT;
        CREATE INDEX snapshots_created ON snapshots (token_key, created_at);
        CREATE INDEX snapshots_root ON snapshots (root_cid);
      `)
    },
  },
  {
    version: 14,
    description: 'kept tokenURI documents in step with the slots, found by token id',
    up (db) {
      // A gateway read the cache missed is one seek by (token_key, token_id). For that the row
      // must be current without comparing heads at read time (a join and a sort, most of the
      // read's cost): any change to a token's slots deletes its kept document in the same
      // transaction, and a document is only written while its heads equal the slots' (checked in
      // the writing statement). Rows already stale are deleted here.
      db.exec(`
        DELETE FROM token_documents WHERE heads IS NOT (
          SELECT group_concat(s.head_cid, ',' ORDER BY s.head_cid) FROM slots s
          WHERE s.data_key = token_documents.data_key AND s.meta_contract_id = token_documents.meta_contract_id);
        CREATE INDEX token_documents_token ON token_documents (token_key, token_id);
        CREATE TRIGGER token_documents_slot_insert AFTER INSERT ON slots BEGIN
          DELETE FROM token_documents WHERE data_key = NEW.data_key;
        END;
        CREATE TRIGGER token_documents_slot_update AFTER UPDATE ON slots BEGIN
          DELETE FROM token_documents WHERE data_key IN (OLD.data_key, NEW.data_key);
        END;
        CREATE TRIGGER token_documents_slot_delete AFTER DELETE ON slots BEGIN
          DELETE FROM token_documents WHERE data_key = OLD.data_key;
        END;
      `)
    },
  },
  readTotalsMigration,
  {
    version: 16,
    description: 'leaner storage: version blocks without their transaction\'s copies, receipts by seq, narrower indexes',
    up (db) {
      db.exec(`
        -- A version block stored without its copies of its transaction (the transaction map, and
        -- the content when it is the signed data as dag-cbor), which the transaction's row keeps:
        -- elided_tx is that transaction's hash (32 bytes), NULL for a block stored whole;
        -- elided_content says the content was taken out too. size stays the block's real size.
        ALTER TABLE blocks ADD COLUMN elided_tx BLOB;
        ALTER TABLE blocks ADD COLUMN elided_content INTEGER NOT NULL DEFAULT 0 CHECK (elided_content IN (0, 1));

        -- A token's transactions are found by data_key alone: they are few, so the queries by
        -- data_key (convergence's "a later one of this token?", the newest timestamp, receipt
        -- counts, a token's export) seek (data_key, timestamp) and sort or filter the rest. The
        -- 64-character hash and the (data_key, seq) copy in two more indexes were a quarter of a
        -- token's index bytes.
        DROP INDEX transactions_data_key;
        DROP INDEX transactions_token_canonical;
        CREATE INDEX transactions_token_time ON transactions (data_key, timestamp);

        -- A receipt is keyed by its transaction's seq (the rowid), not by a second copy of the
        -- 64-character hash and an index over it. A rewind that queues a transaction again
        -- deletes its receipt first; ON UPDATE CASCADE keeps the two together all the same.
        -- The view keeps the table's old shape for every reader (by hash, one seek each way).
        CREATE TABLE receipt_rows (
          seq       INTEGER PRIMARY KEY REFERENCES transactions (seq) ON UPDATE CASCADE,
          status    TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
          reason    TEXT NOT NULL,
          heads     TEXT NOT NULL,
          timestamp INTEGER NOT NULL,
          unchanged INTEGER NOT NULL DEFAULT 0 CHECK (unchanged IN (0, 1))
        ) STRICT;
        INSERT INTO receipt_rows (seq, status, reason, heads, timestamp, unchanged)
          SELECT t.seq, r.status, r.reason, r.heads, r.timestamp, r.unchanged FROM receipts r JOIN transactions t ON t.hash = r.hash
          ORDER BY t.seq;
        DROP TABLE receipts;
        CREATE VIEW receipts (hash, status, reason, heads, timestamp, unchanged) AS
          SELECT t.hash, r.status, r.reason, r.heads, r.timestamp, r.unchanged FROM receipt_rows r JOIN transactions t ON t.seq = r.seq;

        -- get_complete_transactions pages by (timestamp, hash): a seek by timestamp, then the few
        -- transactions of one millisecond sorted by hash, without a copy of every hash here.
        DROP INDEX transactions_applied_time;
        CREATE INDEX transactions_applied_time ON transactions (timestamp) WHERE status = 'applied';
      `)
      // Version blocks already stored whole lose their copies of the transaction too.
      const page = db.prepare<[number, number], { rowid: number, bytes: Buffer }>(
        'SELECT rowid, bytes FROM blocks WHERE rowid > ? AND codec = 113 AND elided_tx IS NULL ORDER BY rowid LIMIT ?')
      const transaction = db.prepare<[string], TransactionFields>('SELECT hash, timestamp, meta_contract_id, method, data FROM transactions WHERE hash = ?')
      const update = db.prepare<[Uint8Array, Uint8Array, number, number]>('UPDATE blocks SET bytes = ?, elided_tx = ?, elided_content = ? WHERE rowid = ?')
      let after = 0
      let elided = 0
      for (;;) {
        const rows = page.all(after, BLOCK_PAGE_ROWS)
        for (const { rowid, bytes } of rows) {
          const hash = versionBlockHash(bytes)
          const tx = hash === undefined || !/^[0-9a-f]{64}$/.test(hash) ? undefined : transaction.get(hash)
          const lean = tx === undefined ? undefined : elideTransaction(bytes, tx)
          if (tx !== undefined && lean !== undefined) {
            update.run(lean.bytes, Buffer.from(tx.hash, 'hex'), lean.content ? 1 : 0, rowid)
            elided++
          }
        }
        const last = rows.at(-1)
        if (last === undefined || rows.length < BLOCK_PAGE_ROWS) break
        after = last.rowid
      }
      // The file is rebuilt once, so the space those copies took is given back to the disk.
      if (elided > 0) return { vacuum: true }
    },
  },
  tokenPageIndexMigration,
  chainWatcherMigration,
  browseIndexMigration,
  browseIndexSlimMigration,
  mintWritesMigration,
  chainRevealMigration,
  chainWritesMigration,
  cardVersionsMigration,
  cardIdKeyMigration,
  cardChangesMigration,
  documentDictionariesMigration,
]

/** The id under which a remote pinning service's token is kept in the credentials file. */
export function remotePinningSecretId (service: string): string {
  return `remote-pinning/${service}`
}

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length
