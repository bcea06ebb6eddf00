import { afterEach, describe, expect, it } from 'vitest'
import { createStore, MIGRATIONS } from '../../src-main/store/index.js'
import type { Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

const VERSION = MIGRATIONS.findIndex(m => m.description.startsWith('chain watcher')) + 1

describe('store migration: chain watcher tables', () => {
  const t = tempDir()
  let store: Store | undefined
  afterEach(() => {
    store?.stop()
    t.cleanup()
  })

  it('adds the tables to a database of the version before; a watch\'s rows go with it', () => {
    expect(VERSION).toBe(18)
    const before = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, VERSION - 1) })
    before.start()
    before.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('kept', '1', 1)").run()
    before.stop()

    store = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, VERSION) })
    store.start()
    expect(store.schemaVersion).toBe(VERSION)
    const db = store.db
    expect(db.prepare('SELECT key FROM settings').all()).toEqual([{ key: 'kept' }])
    expect(() => db.prepare("INSERT INTO chain_endpoints VALUES (1, '', '', 12, 4000, 1)").run()).toThrow(/CHECK constraint failed/)
    db.prepare("INSERT INTO chain_endpoints VALUES (1, 'https://eth.example', '', 12, 4000, 1)").run()
    expect(() => db.prepare("INSERT INTO chain_watches VALUES (1, 1, '0xab', 'erc20', 0, 0, 1, 1)").run()).toThrow(/CHECK constraint failed/)
    db.prepare("INSERT INTO chain_watches VALUES (1, 1, '0xab', 'erc721', 5, 9, 1, 1)").run()
    db.prepare("INSERT INTO chain_events VALUES (1, 6, 0, 0, '0xb', '0xt', '7', '0x0', '0x1', '1', 'mint', 1)").run()
    db.prepare("INSERT INTO chain_tokens VALUES (1, '7', '0x1', '1', 6, '0xt', NULL)").run()
    db.prepare("INSERT INTO chain_checkpoints VALUES (1, 8, '0xh')").run()
    expect(() => db.prepare("INSERT INTO chain_tokens VALUES (2, '7', '0x1', '1', 6, '0xt', NULL)").run()).toThrow(/FOREIGN KEY constraint failed/)
    db.prepare('DELETE FROM chain_watches WHERE id = 1').run()
    expect(db.prepare('SELECT (SELECT count(*) FROM chain_events) + (SELECT count(*) FROM chain_tokens) + (SELECT count(*) FROM chain_checkpoints) AS n').get()).toEqual({ n: 0 })
  })
})
