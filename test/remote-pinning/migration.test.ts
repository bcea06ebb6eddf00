import { afterEach, describe, expect, it } from 'vitest'
import { createStore, MIGRATIONS } from '../../src-main/store/index.js'
import type { Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

const REMOTE_PINNING_VERSION = MIGRATIONS.findIndex(m => m.description.startsWith('remote pinning')) + 1

describe('store migration: remote pinning tables', () => {
  const t = tempDir()
  let store: Store | undefined
  afterEach(() => {
    store?.stop()
    t.cleanup()
  })

  it('adds the tables to a database of the version before, keeping its pins, and removes a service\'s requests with it', () => {
    expect(REMOTE_PINNING_VERSION).toBeGreaterThan(1)
    const before = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, REMOTE_PINNING_VERSION - 1) })
    before.start()
    before.db.prepare("INSERT INTO pins (cid, recursive, name, created_at) VALUES ('bafkqaaa', 1, 'kept', 1)").run()
    before.stop()

    store = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, REMOTE_PINNING_VERSION) })
    store.start()
    expect(store.schemaVersion).toBe(REMOTE_PINNING_VERSION)
    expect(store.db.prepare('SELECT name FROM pins').all()).toEqual([{ name: 'kept' }])
    store.db.prepare("INSERT INTO remote_pin_services VALUES ('psa', 'https://pins.example.com', 'secret', 0, -1, '', 1)").run()
    store.db.prepare("INSERT INTO remote_pins VALUES ('psa', 'bafkqaaa', 'kept', 'req-1', 'queued', '', '[]', 0, 0, 5, 1, 1)").run()
    expect(() => store?.db.prepare("INSERT INTO remote_pins VALUES ('psa', 'bafkqaab', '', NULL, 'done', '', '[]', 0, 0, NULL, 1, 1)").run()).toThrow(/CHECK constraint failed/)
    expect(() => store?.db.prepare("INSERT INTO remote_pins VALUES ('other', 'bafkqaab', '', NULL, 'queued', '', '[]', 0, 0, NULL, 1, 1)").run()).toThrow(/FOREIGN KEY constraint failed/)
    store.db.prepare("DELETE FROM remote_pin_services WHERE name = 'psa'").run()
    expect(store.db.prepare('SELECT count(*) AS n FROM remote_pins').get()).toEqual({ n: 0 })
  })
})
