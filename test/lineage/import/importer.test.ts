import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_ITEM_BYTES } from '../../../src-main/lineage/import/index.js'
import { UNSIGNED_FIELDS, verifyTransactionSignature } from '../../../src-main/lineage/signing/index.js'
import type { ImportEvent, ImportProgressEvent } from '../../../src-main/lineage/import/index.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { COLLECTION, createImportRig } from './setup.js'
import type { ImportRig } from './setup.js'

const doc = (i: number): Record<string, unknown> => ({ name: `Token #${i}`, description: 'generated', image: `ipfs://bafy${i}`, attributes: [{ trait_type: 'Index', value: i }] })

describe('bulk import into the real engine', () => {
  let rig: ImportRig
  let src: { dir: string, cleanup: () => void }
  beforeEach(async () => {
    rig = await createImportRig()
    src = tempDir('lineage-import-src-')
  }, 60_000)
  afterEach(async () => {
    await rig.close()
    src.cleanup()
  })

  const request = (source: string, contract = 'erc721'): Parameters<ImportRig['importer']['create']>[0] =>
    ({ source, ...COLLECTION, meta_contract_id: contract, public_key: rig.signer.publicKey })

  it('imports a folder of 200 items, reporting each invalid one by file and reason', async () => {
    const dir = path.join(src.dir, 'collection')
    fs.mkdirSync(dir)
    for (let i = 1; i <= 194; i++) fs.writeFileSync(path.join(dir, i % 2 === 0 ? `${i}.json` : String(i)), JSON.stringify(doc(i), null, 2))
    fs.writeFileSync(path.join(dir, '195.json'), '{"name": "broken",')
    fs.writeFileSync(path.join(dir, '196.json'), '[1, 2, 3]')
    fs.writeFileSync(path.join(dir, '197.json'), JSON.stringify({ ...doc(197), description: 'x'.repeat(MAX_ITEM_BYTES) }))
    fs.writeFileSync(path.join(dir, '198.json'), JSON.stringify({ ...doc(198), background_color: 'red' }))
    fs.writeFileSync(path.join(dir, 'cover.json'), JSON.stringify(doc(0)))
    fs.mkdirSync(path.join(dir, '200'))
    fs.writeFileSync(path.join(dir, '.DS_Store'), 'hidden files are not items')
    // Images and notes beside the metadata are skipped and counted, not refused.
    for (const name of ['cover.png', 'notes.txt', 'README.MD']) fs.writeFileSync(path.join(dir, name), 'not metadata')

    const events: ImportEvent[] = []
    const { job } = await rig.importer.create(request(dir))
    const report = await rig.importer.run(job, { signer: rig.signer, onProgress: e => events.push(e) })

    expect(report).toMatchObject({ job, state: 'done', total: 200, done: 200, applied: 194, rejected_count: 6, skipped: 0 })
    const reasons = Object.fromEntries(report.rejected.map(r => [r.item, r.reason]))
    expect(Object.keys(reasons).sort()).toEqual(['195.json', '196.json', '197.json', '198.json', '200', 'cover.json'])
    expect(reasons['195.json']).toBe('not valid JSON (it ends too early, at line 1, column 19)')
    expect(reasons['196.json']).toContain('not an object')
    expect(reasons['197.json']).toContain(`larger than ${MAX_ITEM_BYTES} bytes`)
    expect(reasons['198.json']).toContain('background_color')
    expect(reasons['200']).toBe('not a regular file: it is a folder (folders are not read)')
    expect(reasons['cover.json']).toMatch(/^the file name is not a token id/)
    expect({ ...report.ignored, names: [...report.ignored?.names ?? []].sort() }).toEqual({ count: 3, names: ['README.MD', 'cover.png', 'notes.txt'] })
    // Kept with the job, so the report says so after a restart too.
    expect(rig.importer.status(job).ignored_files?.count).toBe(3)

    // One slot per applied token, one transaction per published item, plus the binding.
    expect(rig.count("SELECT count(*) AS n FROM slots WHERE meta_contract_id = 'erc721'")).toBe(194)
    expect(rig.count("SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")).toBe(195)
    expect(rig.count("SELECT count(*) AS n FROM transactions WHERE method = 'contract'")).toBe(1)
    const slot = rig.lineage.slot({ data_key: rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, '42'), meta_contract_id: 'erc721', public_key: rig.signer.publicKey, alias: '', version: 'v1' })
    expect(slot?.content).toEqual(doc(42))

    const progress = events.filter((e): e is ImportProgressEvent => e.type === 'lineage:import:progress')
    for (let i = 1; i < progress.length; i++) expect(progress[i]?.done).toBeGreaterThanOrEqual(progress[i - 1]?.done ?? 0)
    expect(progress.at(-1)).toMatchObject({ done: 200, total: 200, rejected: 6 })
    expect(events.at(-1)).toMatchObject({ type: 'lineage:import:done', job, report })
    expect(rig.importer.status(job)).toMatchObject({ state: 'done', done: 200, applied: 194, rejected: 6, skipped: 0 })
    expect(rig.importer.status(job).rejected_items).toHaveLength(6)
  })

  it('cancels midway and resumes to exactly one transaction per token', async () => {
    const dir = path.join(src.dir, 'big')
    fs.mkdirSync(dir)
    for (let i = 0; i < 600; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(doc(i)))
    const { job } = await rig.importer.create(request(dir, 'open'))
    const controller = new AbortController()
    // Cancel once 40 receipts are in (progress events are throttled: the import may be faster);
    // 600 items are more than two publish batches, so the cancel lands midway.
    let applied = 0
    const onApplied = (): void => { if (++applied === 40) controller.abort() }
    rig.lineage.on('applied', onApplied)
    const first = await rig.importer.run(job, { signer: rig.signer, signal: controller.signal })
    rig.lineage.off('applied', onApplied)
    expect(first.state).toBe('cancelled')
    expect(first.done).toBeGreaterThanOrEqual(40)
    expect(first.done).toBeLessThan(600)
    expect(rig.importer.status(job).state).toBe('cancelled')
    const published = rig.count("SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")
    expect(published).toBe(first.done)

    const second = await rig.importer.run(job, { signer: rig.signer })
    expect(second).toMatchObject({ state: 'done', total: 600, done: 600, applied: 600, rejected_count: 0, skipped: published })
    expect(rig.count("SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")).toBe(600)
    expect(rig.count('SELECT count(*) AS n FROM (SELECT DISTINCT token_id FROM transactions WHERE method = \'metadata\')')).toBe(600)
    expect(rig.count("SELECT count(*) AS n FROM slots WHERE meta_contract_id = 'open'")).toBe(600)

    // The engine signed every item itself (on the thread pool): each stored signature verifies.
    const rows = rig.store.db.prepare('SELECT * FROM transactions').all() as Array<Record<string, unknown>>
    for (const row of rows) {
      const request = Object.fromEntries([...UNSIGNED_FIELDS, 'signature'].map(f => [f, row[f]]))
      expect(verifyTransactionSignature(request as never).signer).toBe(rig.signer.publicKey.toLowerCase())
    }

    // A third run finds everything done and sends nothing.
    const third = await rig.importer.run(job, { signer: rig.signer })
    expect(third).toMatchObject({ applied: 600, skipped: 600 })
    expect(rig.count('SELECT count(*) AS n FROM transactions')).toBe(601)
  })

  it('reads a job\'s counters back from the ledger: every nonce of the job is in its prefix range', async () => {
    const dir = path.join(src.dir, 'ranged')
    fs.mkdirSync(dir)
    // More than two publish batches, so the cancel lands midway.
    for (let i = 0; i < 600; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(doc(i)))
    fs.writeFileSync(path.join(dir, 'broken.json'), '{')
    const created = await rig.importer.create(request(dir, 'open'))
    const { job } = created
    const prefix = created.params.nonce_prefix ?? ''
    expect(prefix).toMatch(/^[0-9a-f]{32}$/)
    // Another job of the same key: its transactions must never count for this one.
    const otherDir = path.join(src.dir, 'other')
    fs.mkdirSync(otherDir)
    for (let i = 1000; i < 1010; i++) fs.writeFileSync(path.join(otherDir, `${i}.json`), JSON.stringify(doc(i)))
    const other = await rig.importer.create(request(otherDir, 'open'))
    await rig.importer.run(other.job, { signer: rig.signer })

    const controller = new AbortController()
    let applied = 0
    const onApplied = (): void => { if (++applied === 40) controller.abort() }
    rig.lineage.on('applied', onApplied)
    const first = await rig.importer.run(job, { signer: rig.signer, signal: controller.signal })
    rig.lineage.off('applied', onApplied)
    expect(first.state).toBe('cancelled')

    const mine = rig.count('SELECT count(*) AS n FROM transactions WHERE method = \'metadata\' AND substr(nonce, 1, 32) = ?', prefix)
    expect(mine).toBeGreaterThanOrEqual(40)
    expect(rig.count('SELECT count(*) AS n FROM transactions WHERE method = \'metadata\' AND length(nonce) = 64')).toBe(mine + 10)
    // What the job committed, whatever the job row says: the row's counters are forced to zero here,
    // as a kill -9 leaves them (saved every 1,000 items).
    rig.store.db.prepare('UPDATE jobs SET done = 0, cursor = ? WHERE id = ?').run(JSON.stringify({ applied: 0, rejected: 0, skipped: 0, refused: 0 }), job)
    const status = rig.importer.status(job)
    expect(status).toMatchObject({ state: 'cancelled', applied: mine, pending: 0, rejected: 0, done: mine, total: 601 })

    const second = await rig.importer.run(job, { signer: rig.signer })
    expect(second).toMatchObject({ state: 'done', done: 601, applied: 600, rejected_count: 1, skipped: mine })
    expect(rig.importer.status(job)).toMatchObject({ state: 'done', done: 601, applied: 600, rejected: 1, pending: 0, skipped: mine })
    expect(rig.importer.status(other.job)).toMatchObject({ state: 'done', done: 10, applied: 10, rejected: 0 })
  })

  it('resumes a job recorded before nonce prefixes with the nonces it signed then, never twice', async () => {
    const dir = path.join(src.dir, 'legacy')
    fs.mkdirSync(dir)
    for (let i = 0; i < 600; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(doc(i)))
    const { job, params } = await rig.importer.create(request(dir, 'open'))
    // The row as an earlier version wrote it: no nonce_prefix, no refused count.
    const legacy: Record<string, unknown> = { ...params }
    delete legacy.nonce_prefix
    rig.store.db.prepare('UPDATE jobs SET params = ?, cursor = ? WHERE id = ?').run(JSON.stringify(legacy), JSON.stringify({ applied: 0, rejected: 0, skipped: 0 }), job)

    const controller = new AbortController()
    let applied = 0
    const onApplied = (): void => { if (++applied === 40) controller.abort() }
    rig.lineage.on('applied', onApplied)
    const first = await rig.importer.run(job, { signer: rig.signer, signal: controller.signal })
    rig.lineage.off('applied', onApplied)
    expect(first.state).toBe('cancelled')
    expect(rig.count('SELECT count(*) AS n FROM transactions WHERE method = \'metadata\' AND length(nonce) = 32')).toBe(first.done)
    // Without a range to count, the status is the row the run saved.
    expect(rig.importer.status(job)).toMatchObject({ state: 'cancelled', done: first.done, applied: first.applied, pending: 0 })

    const second = await rig.importer.run(job, { signer: rig.signer })
    expect(second).toMatchObject({ state: 'done', done: 600, applied: 600, skipped: first.done })
    expect(rig.count('SELECT count(*) AS n FROM transactions WHERE method = \'metadata\'')).toBe(600)
    expect(rig.count('SELECT count(*) AS n FROM transactions WHERE method = \'metadata\' AND length(nonce) = 32')).toBe(600)
  })

  it('refuses another key, an unknown job, path tricks, and a collection bound to another contract', async () => {
    const dir = path.join(src.dir, 'c')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, '1.json'), JSON.stringify(doc(1)))
    const { job } = await rig.importer.create(request(dir))
    const { createSigner } = await import('../../../src-main/lineage/keys/index.js')
    const other = createSigner('other', 'ed25519', new Uint8Array(32).fill(7))
    await expect(rig.importer.run(job, { signer: other })).rejects.toMatchObject({ name: 'ImportKeyError' })
    expect(rig.importer.status(job).state).toBe('failed')
    expect(() => rig.importer.status('nope')).toThrowError(expect.objectContaining({ name: 'ImportJobNotFoundError' }))
    await expect(rig.importer.create(request('relative/dir'))).rejects.toMatchObject({ name: 'ImportPathError', message: expect.stringContaining('absolute') })
    await expect(rig.importer.create(request(`${dir}/../c`))).rejects.toMatchObject({ name: 'ImportPathError', message: expect.stringContaining('..') })
    fs.symlinkSync(dir, path.join(src.dir, 'link'))
    await expect(rig.importer.create(request(path.join(src.dir, 'link')))).rejects.toMatchObject({ name: 'ImportPathError', message: expect.stringContaining('symbolic link') })
    await expect(rig.importer.create(request(path.join(src.dir, 'missing')))).rejects.toMatchObject({ name: 'ImportPathError', message: expect.stringContaining('does not exist') })
    await expect(rig.importer.create({ ...request(dir), token_address: '0x12' })).rejects.toMatchObject({ name: 'InvalidTransactionError', field: 'token_address' })

    await rig.importer.run(job, { signer: rig.signer })
    const again = await rig.importer.create(request(dir, 'open'))
    await expect(rig.importer.run(again.job, { signer: rig.signer })).rejects.toMatchObject({ name: 'ImportBindingError', message: expect.stringContaining('"erc721"') })
  })
})
