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

    const events: ImportEvent[] = []
    const { job } = rig.importer.create(request(dir))
    const report = await rig.importer.run(job, { signer: rig.signer, onProgress: e => events.push(e) })

    expect(report).toMatchObject({ job, state: 'done', total: 200, done: 200, applied: 194, rejected_count: 6, skipped: 0 })
    const reasons = Object.fromEntries(report.rejected.map(r => [r.item, r.reason]))
    expect(Object.keys(reasons).sort()).toEqual(['195.json', '196.json', '197.json', '198.json', '200', 'cover.json'])
    expect(reasons['195.json']).toBe('not valid JSON (it ends too early, at line 1, column 19)')
    expect(reasons['196.json']).toContain('not an object')
    expect(reasons['197.json']).toContain(`larger than ${MAX_ITEM_BYTES} bytes`)
    expect(reasons['198.json']).toContain('background_color')
    expect(reasons['200']).toBe('not a regular file: it is a folder (folders are not imported)')
    expect(reasons['cover.json']).toMatch(/^the file name is not a token id/)

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
    const { job } = rig.importer.create(request(dir, 'open'))
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

  it('refuses another key, an unknown job, path tricks, and a collection bound to another contract', async () => {
    const dir = path.join(src.dir, 'c')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, '1.json'), JSON.stringify(doc(1)))
    const { job } = rig.importer.create(request(dir))
    const { createSigner } = await import('../../../src-main/lineage/keys/index.js')
    const other = createSigner('other', 'ed25519', new Uint8Array(32).fill(7))
    await expect(rig.importer.run(job, { signer: other })).rejects.toMatchObject({ name: 'ImportKeyError' })
    expect(rig.importer.status(job).state).toBe('failed')
    expect(() => rig.importer.status('nope')).toThrowError(expect.objectContaining({ name: 'ImportJobNotFoundError' }))
    expect(() => rig.importer.create(request('relative/dir'))).toThrowError(expect.objectContaining({ name: 'ImportPathError', message: expect.stringContaining('absolute') }))
    expect(() => rig.importer.create(request(`${dir}/../c`))).toThrowError(expect.objectContaining({ name: 'ImportPathError', message: expect.stringContaining('..') }))
    fs.symlinkSync(dir, path.join(src.dir, 'link'))
    expect(() => rig.importer.create(request(path.join(src.dir, 'link')))).toThrowError(expect.objectContaining({ name: 'ImportPathError', message: expect.stringContaining('symbolic link') }))
    expect(() => rig.importer.create(request(path.join(src.dir, 'missing')))).toThrowError(expect.objectContaining({ name: 'ImportPathError', message: expect.stringContaining('does not exist') }))
    expect(() => rig.importer.create({ ...request(dir), token_address: '0x12' })).toThrowError(expect.objectContaining({ name: 'InvalidTransactionError', field: 'token_address' }))

    await rig.importer.run(job, { signer: rig.signer })
    const again = rig.importer.create(request(dir, 'open'))
    await expect(rig.importer.run(again.job, { signer: rig.signer })).rejects.toMatchObject({ name: 'ImportBindingError', message: expect.stringContaining('"erc721"') })
  })
})
