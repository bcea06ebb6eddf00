import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createStore, DATABASE_FILE, LATEST_SCHEMA_VERSION, WAL_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES } from '../../src-main/store/index.js'
import type { Migration, Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('store', () => {
  const cleanups: Array<() => void> = []
  const stores: Store[] = []
  const open = (dataDir: string, migrations?: readonly Migration[]): Store => {
    const store = createStore({ log: testLog }, migrations === undefined ? { dataDir } : { dataDir, migrations })
    stores.push(store)
    store.start()
    return store
  }
  const newDir = (): string => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    return t.dir
  }
  afterEach(() => {
    for (const s of stores.splice(0)) s.stop()
    for (const c of cleanups.splice(0)) c()
  })

  it('creates the database in the data dir, in WAL mode, at the latest schema version', () => {
    const dir = path.join(newDir(), 'nested', 'data')
    const store = open(dir)
    expect(fs.existsSync(path.join(dir, DATABASE_FILE))).toBe(true)
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    expect(store.integrityCheck()).toBe('ok')
  })

  it('keeps acknowledged writes durable (synchronous FULL) and checkpoints the WAL only every WAL_AUTOCHECKPOINT_PAGES', () => {
    const store = open(newDir())
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2)
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES)
    expect(store.db.pragma('journal_size_limit', { simple: true })).toBe(WAL_SIZE_LIMIT_BYTES)
  })

  it('keeps settings across restarts', () => {
    const dir = newDir()
    const first = open(dir)
    first.setSetting('theme', 'dark')
    first.setSetting('theme', 'light')
    first.stop()
    const second = open(dir)
    expect(second.getSetting('theme')).toBe('light')
    expect(second.getSetting('missing')).toBeUndefined()
  })

  it('refuses a second store on the same data dir with StoreLockedError, and allows it after stop', () => {
    const dir = newDir()
    const first = open(dir)
    const second = createStore({ log: testLog }, { dataDir: dir })
    expect(() => { second.start() }).toThrowError(expect.objectContaining({ name: 'StoreLockedError', message: expect.stringContaining('already running') }))
    expect(second.isStarted()).toBe(false)
    first.stop()
    second.start()
    stores.push(second)
    expect(second.isStarted()).toBe(true)
  })

  it('refuses a database from a newer version and leaves it untouched', () => {
    const dir = newDir()
    open(dir).stop()
    const file = path.join(dir, DATABASE_FILE)
    const raw = new Database(file)
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`)
    raw.close()
    const before = fs.readFileSync(file)

    const store = createStore({ log: testLog }, { dataDir: dir })
    expect(() => { store.start() }).toThrowError(expect.objectContaining({
      name: 'StoreVersionError',
      message: expect.stringContaining(`schema version ${LATEST_SCHEMA_VERSION + 5}`),
    }))
    expect(store.isStarted()).toBe(false)
    expect(fs.readFileSync(file).equals(before)).toBe(true)
  })

  it('reports a file that is not a database as StoreCorruptError', () => {
    const dir = newDir()
    fs.writeFileSync(path.join(dir, DATABASE_FILE), 'this is not sqlite '.repeat(500))
    const store = createStore({ log: testLog }, { dataDir: dir })
    expect(() => { store.start() }).toThrowError(expect.objectContaining({ name: 'StoreCorruptError' }))
  })

  it('throws StoreNotOpenError when used after stop', () => {
    const store = open(newDir())
    store.stop()
    expect(() => store.db).toThrowError(expect.objectContaining({ name: 'StoreNotOpenError' }))
    store.stop() // idempotent
  })
})

describe('migrations', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })

  const steps: Migration[] = [
    { version: 1, description: 'a', up: db => { db.exec('CREATE TABLE a (x INTEGER)') } },
    { version: 2, description: 'b', up: db => { db.exec('CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1)') } },
  ]

  it('applies only the missing steps, in order', () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const v1 = createStore({ log: testLog }, { dataDir: t.dir, migrations: steps.slice(0, 1) })
    v1.start()
    expect(v1.schemaVersion).toBe(1)
    v1.stop()
    const v2 = createStore({ log: testLog }, { dataDir: t.dir, migrations: steps })
    v2.start()
    expect(v2.schemaVersion).toBe(2)
    expect(v2.db.prepare('SELECT count(*) AS n FROM a').get()).toEqual({ n: 1 })
    v2.stop()
  })

  it('rolls a failing step back and keeps the previous version', () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const broken: Migration[] = [
      steps[0] as Migration,
      { version: 2, description: 'broken', up: db => { db.exec('CREATE TABLE c (z INTEGER)'); db.exec('INSERT INTO nowhere VALUES (1)') } },
    ]
    const store = createStore({ log: testLog }, { dataDir: t.dir, migrations: broken })
    expect(() => { store.start() }).toThrowError(expect.objectContaining({ name: 'MigrationError', message: expect.stringContaining('schema version 2') }))
    const raw = new Database(path.join(t.dir, DATABASE_FILE))
    expect(raw.pragma('user_version', { simple: true })).toBe(1)
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined()
    raw.close()
  })

  it('product migration 1 creates the settings table', () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const store = createStore({ log: testLog }, { dataDir: t.dir })
    store.start()
    const columns = store.db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all('settings') as Array<{ name: string }>
    expect(columns.map(c => c.name)).toEqual(['key', 'value', 'updated_at'])
    store.stop()
  })
})
