import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSecretVault, SECRETS_FILE } from '../../src-main/secrets/index.js'
import { createStore, MIGRATIONS, remotePinningSecretId } from '../../src-main/store/index.js'
import type { Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

const REMOTE_PINNING_VERSION = MIGRATIONS.findIndex(m => m.description.startsWith('remote pinning')) + 1
const TOKENS_OUT_VERSION = MIGRATIONS.findIndex(m => m.description.startsWith('remote pinning service tokens moved out')) + 1

/** The bytes of the database and its WAL (and shared memory), as anyone who copies the folder gets them. */
function rawBytes (dir: string): Buffer {
  return Buffer.concat(['lineage.sqlite', 'lineage.sqlite-wal', 'lineage.sqlite-shm'].map(name => fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name)) : Buffer.alloc(0)))
}

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

  it('moves every service token out of the database into the sealed credentials file, and leaves no copy in its bytes', () => {
    expect(TOKENS_OUT_VERSION).toBeGreaterThan(REMOTE_PINNING_VERSION)
    const tokens = { psa: 'plain-token-0123456789-abcdefghijklmnop', short: 'tiny' }
    const before = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, TOKENS_OUT_VERSION - 1) })
    before.start()
    for (const [name, token] of Object.entries(tokens)) before.db.prepare("INSERT INTO remote_pin_services VALUES (?, 'https://pins.example.com', ?, 0, -1, '', 1)").run(name, token)
    // Updated and deleted rows leave older copies in free pages too.
    before.db.prepare("INSERT INTO remote_pin_services VALUES ('gone', 'https://pins.example.com', ?, 0, -1, '', 1)").run(`${tokens.psa}-gone`)
    before.db.prepare("DELETE FROM remote_pin_services WHERE name = 'gone'").run()
    before.stop()
    expect(rawBytes(t.dir).includes(tokens.psa)).toBe(true)

    store = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, TOKENS_OUT_VERSION) })
    store.start()
    expect(store.schemaVersion).toBe(TOKENS_OUT_VERSION)
    expect(store.db.prepare('SELECT name, token FROM remote_pin_services ORDER BY name').all()).toEqual([{ name: 'psa', token: '********mnop' }, { name: 'short', token: '********' }])
    const vault = createSecretVault({ dir: t.dir })
    expect(vault.get(remotePinningSecretId('psa'))).toBe(tokens.psa)
    expect(vault.get(remotePinningSecretId('short'))).toBe(tokens.short)
    for (const bytes of [rawBytes(t.dir), fs.readFileSync(path.join(t.dir, SECRETS_FILE))]) {
      expect(bytes.includes(tokens.psa.slice(0, 20))).toBe(false)
      expect(bytes.includes('plain-token')).toBe(false)
    }
    expect(fs.statSync(path.join(t.dir, SECRETS_FILE)).mode & 0o777).toBe(0o600)
  })

  it('changes nothing, and rebuilds nothing, on a database without services', () => {
    const before = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, TOKENS_OUT_VERSION - 1) })
    before.start()
    before.stop()
    store = createStore({ log: testLog }, { dataDir: t.dir, migrations: MIGRATIONS.slice(0, TOKENS_OUT_VERSION) })
    store.start()
    expect(store.schemaVersion).toBe(TOKENS_OUT_VERSION)
    expect(fs.existsSync(path.join(t.dir, SECRETS_FILE))).toBe(false)
  })
})
