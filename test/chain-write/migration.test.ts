import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../src-main/store/index.js'
import { schemaStores } from '../helpers/schema-stores.js'

const VERSION = MIGRATIONS.findIndex(m => m.description.startsWith('chain writer')) + 1

describe('store migration: chain writer tables', () => {
  const { open, close, newDir } = schemaStores()

  it('adds the sent-transaction and metadata-update tables to a database of the version before, with their checks', () => {
    expect(VERSION).toBeGreaterThan(19)
    const dir = newDir()
    const before = open(dir, VERSION - 1)
    before.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('kept', '1', 1)").run()
    close(before)

    const store = open(dir, VERSION)
    expect(store.schemaVersion).toBe(VERSION)
    const db = store.db
    expect(db.prepare('SELECT key FROM settings').all()).toEqual([{ key: 'kept' }])
    const insert = db.prepare(`INSERT INTO chain_txs (chain_id, address, from_address, action, function, args, tx_hash, nonce, gas_limit, max_fee_per_gas, raw, state, confirmations, created_at, updated_at)
      VALUES (1, '0xab', '0xcd', ?, 'setBaseURI(string)', '[]', ?, 0, '1', '1', '0x02', ?, 1, 1, 1)`)
    insert.run('base_uri', '0x01', 'sent')
    expect(() => insert.run('mint', '0x02', 'sent')).toThrow(/CHECK constraint failed/)
    expect(() => insert.run('base_uri', '0x03', 'dropped')).toThrow(/CHECK constraint failed/)
    expect(() => insert.run('base_uri', '0x01', 'sent')).toThrow(/UNIQUE constraint failed/)
    const update = db.prepare("INSERT INTO chain_metadata_updates VALUES (1, '0xab', '0x01', 3, 10, '0', NULL, 1)")
    update.run()
    expect(() => update.run()).toThrow(/UNIQUE constraint failed/)
  })
})
