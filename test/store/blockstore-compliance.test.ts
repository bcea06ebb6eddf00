import { afterEach, beforeEach, describe, it } from 'vitest'
import { interfaceBlockstoreTests } from 'interface-blockstore-tests'
import { createBlockstore, createStore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore, Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

// The suite is written for mocha and calls these as globals; hand it vitest's.
Object.assign(globalThis, { describe, it, beforeEach, afterEach })

describe('SqliteBlockstore: interface-blockstore compliance', () => {
  const opened = new Map<SqliteBlockstore, { store: Store, cleanup: () => void }>()

  interfaceBlockstoreTests({
    setup () {
      const { dir, cleanup } = tempDir()
      const store = createStore({ log: testLog }, { dataDir: dir })
      store.start()
      const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
      opened.set(blockstore, { store, cleanup })
      return blockstore
    },
    teardown (blockstore) {
      const entry = opened.get(blockstore as SqliteBlockstore)
      if (entry === undefined) return
      opened.delete(blockstore as SqliteBlockstore)
      entry.store.stop()
      entry.cleanup()
    },
  })
})
