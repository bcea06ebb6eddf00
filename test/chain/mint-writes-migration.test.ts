import { afterEach, describe, expect, it } from 'vitest'
import { createStore, MIGRATIONS } from '../../src-main/store/index.js'
import type { Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

const VERSION = MIGRATIONS.findIndex(m => m.description.startsWith('on_mint writes')) + 1

describe('store migration: on_mint writes', () => {
  const t = tempDir()
  let store: Store | undefined
  afterEach(() => {
    store?.stop()
    t.cleanup()
  })

  it('adds mint_writes to a database of the version before; a row needs its chain event and goes with it', () => {
    expect(VERSION).toBe(21)
    const before = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, VERSION - 1) })
    before.start()
    before.db.prepare("INSERT INTO chain_endpoints VALUES (1, 'https://eth.example', '', 12, 4000, 1)").run()
    before.db.prepare("INSERT INTO chain_watches VALUES (1, 1, '0xab', 'erc721', 5, 9, 1, 1)").run()
    before.db.prepare("INSERT INTO chain_events VALUES (1, 6, 0, 0, '0xb', '0xt', '7', '0x0', '0x1', '1', 'mint', 1)").run()
    before.stop()

    store = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, VERSION) })
    store.start()
    expect(store.schemaVersion).toBe(VERSION)
    const db = store.db
    const row = (block: number, loose: number) => [1, block, 0, 0, 0, 'h', 1000, 'tk', 'dk', '7', 'mc', 'pk', 'minted', '', 'bafy', loose, null, null, null, null]
    const insert = db.prepare('INSERT INTO mint_writes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    expect(() => insert.run(...row(6, 2))).toThrow(/CHECK constraint failed/)
    // No event at block 7: a write without the mint it came from cannot exist.
    expect(() => insert.run(...row(7, 1))).toThrow(/FOREIGN KEY constraint failed/)
    insert.run(...row(6, 1))
    // A reorg deletes the event: its writes go with it.
    db.prepare('DELETE FROM chain_events WHERE block_number = 6').run()
    expect(db.prepare('SELECT count(*) AS n FROM mint_writes').get()).toEqual({ n: 0 })
  })
})
