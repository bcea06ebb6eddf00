import { afterEach, describe, expect, it } from 'vitest'
import { createStore, MIGRATIONS } from '../../src-main/store/index.js'
import type { Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

const VERSION = MIGRATIONS.findIndex(m => m.description.startsWith('reveal on mint')) + 1

describe('store migration: reveal on mint', () => {
  const t = tempDir()
  let store: Store | undefined
  afterEach(() => {
    store?.stop()
    t.cleanup()
  })

  it('adds chain_reveals to a database of the version before; addresses are kept lower case; unwatching leaves a collection hidden', () => {
    expect(VERSION).toBe(22)
    const before = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, VERSION - 1) })
    before.start()
    before.db.prepare("INSERT INTO chain_endpoints VALUES (1, 'https://eth.example', '', 12, 4000, 1)").run()
    before.db.prepare("INSERT INTO chain_watches VALUES (1, 1, '0xab', 'erc721', 5, 9, 1, 1)").run()
    before.stop()

    store = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, VERSION) })
    store.start()
    expect(store.schemaVersion).toBe(VERSION)
    const db = store.db
    expect(() => db.prepare("INSERT INTO chain_reveals VALUES (1, '0xAB', NULL, 1)").run()).toThrow(/CHECK constraint failed/)
    db.prepare("INSERT INTO chain_reveals VALUES (1, '0xab', '{\"name\":\"?\"}', 1)").run()
    expect(() => db.prepare("INSERT INTO chain_reveals VALUES (1, '0xab', NULL, 2)").run()).toThrow(/UNIQUE constraint failed/)
    // Not tied to the watch: hidden stays hidden (nothing is minted then), never public by accident.
    db.prepare('DELETE FROM chain_watches WHERE id = 1').run()
    expect(db.prepare('SELECT chain_id, address, placeholder FROM chain_reveals').all()).toEqual([{ chain_id: 1, address: '0xab', placeholder: '{"name":"?"}' }])
  })
})
