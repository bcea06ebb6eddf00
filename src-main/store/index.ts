/**
 * The node's SQLite database: one file in the data dir, WAL, held exclusively by one node, with
 * numbered migrations recorded in `user_version`.
 *
 * @example
 * ```ts
 * const store = createStore({ log: logger.forComponent('lineage:store') }, { dataDir })
 * store.start()            // creates, locks and migrates
 * store.getSetting('name')
 * store.stop()
 * ```
 */
import { MIGRATIONS } from './migrations.js'
import { SqliteBlockstore } from './blockstore.js'
import type { BlockstoreComponents } from './blockstore.js'
import { SqliteStore } from './store.js'
import type { Store, StoreComponents, StoreInit } from './store.js'

export function createStore (components: StoreComponents, init: StoreInit): Store {
  return new SqliteStore(components, { ...init, migrations: init.migrations ?? MIGRATIONS })
}

/**
 * The IPLD blockstore in the store's database; the store must be started before it is used.
 *
 * @example
 * ```ts
 * const blocks = createBlockstore(store, { transactionRows: ledgerReads })   // lineage/tokens: elided version blocks
 * store.db.transaction(() => { blocks.putSync(cid, bytes); store.setSetting('head', cid.toString()) })()
 * ```
 */
export function createBlockstore (store: Store, components?: BlockstoreComponents): SqliteBlockstore {
  return new SqliteBlockstore(store, components)
}

export type { Store, StoreComponents, StoreInit } from './store.js'
export type { SqliteBlockstore, BlockEntry, BlockstoreComponents, TransactionRowsOf } from './blockstore.js'
export type { BlockStaging } from './block-staging.js'
export type { Migration, MigrationContext } from './migrations.js'
export { LATEST_SCHEMA_VERSION, MIGRATIONS, remotePinningSecretId } from './migrations.js'
export { BROWSE_REBUILD_SETTING } from './browse-index.js'
export { CARD_CHANGES_KEPT } from './card-changes.js'
export { DATABASE_FILE, WAL_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES } from './constants.js'
export * from './errors.js'
