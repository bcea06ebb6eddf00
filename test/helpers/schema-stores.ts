import { afterEach } from 'vitest'
import { createStore, LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src-main/store/index.js'
import type { Store } from '../../src-main/store/index.js'
import { testLog } from './logger.js'
import { tempDir } from './temp-dir.js'

/**
 * Stores opened at a chosen schema version, as a node of that version left them, and the temp
 * dirs they live in; all stopped and removed after each test. For migration tests.
 */
export function schemaStores (): { open: (dir: string, version?: number) => Store, close: (store: Store) => void, newDir: () => string } {
  const cleanups: Array<() => void> = []
  const stores: Store[] = []
  afterEach(() => {
    for (const s of stores.splice(0)) s.stop()
    for (const c of cleanups.splice(0)) c()
  })
  return {
    open (dir, version = LATEST_SCHEMA_VERSION) {
      const store = createStore({ log: testLog }, { dataDir: dir, migrations: MIGRATIONS.slice(0, version) })
      store.start()
      stores.push(store)
      return store
    },
    /** Stops a store before the test ends (to reopen its dir at another version). */
    close (store) {
      store.stop()
      stores.splice(stores.indexOf(store), 1)
    },
    newDir () {
      const t = tempDir()
      cleanups.push(t.cleanup)
      return t.dir
    },
  }
}
