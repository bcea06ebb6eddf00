import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importMethods } from '../../../src-main/api/rpc/import-methods.js'
import type { ImportStatusInfo } from '../../../src-main/api/rpc/import-methods.js'
import { RPC_ERROR_CODES } from '../../../src-main/api/errors.js'
import { createDispatcher } from '../../../src-main/api/rpc/index.js'
import type { Dispatcher } from '../../../src-main/api/rpc/index.js'
import { exportCar } from '../../../src-main/dag/index.js'
import { testLog } from '../../helpers/logger.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { waitFor } from '../../helpers/wait-for.js'
import { COLLECTION, createImportRig } from './setup.js'
import type { ImportRig } from './setup.js'

const codeOf = (name: string): number => (RPC_ERROR_CODES as Record<string, number>)[name] ?? RPC_ERROR_CODES.InternalError

describe('import JSON-RPC methods (real engine, through the dispatcher)', () => {
  let rig: ImportRig
  let src: { dir: string, cleanup: () => void }
  let dispatcher: Dispatcher
  let id = 0
  const locked: string[] = []

  beforeAll(async () => {
    rig = await createImportRig()
    src = tempDir('lineage-import-rpc-')
    dispatcher = createDispatcher(importMethods({
      importer: rig.importer,
      unlockKey: async (name, passphrase) => {
        if (name !== 'creator') throw Object.assign(new Error(`There is no key named "${name}".`), { name: 'KeyNotFoundError' })
        if (passphrase !== 'secret passphrase') throw Object.assign(new Error(`Wrong passphrase for the key "${name}".`), { name: 'WrongPassphraseError' })
        return { type: rig.signer.type, publicKey: rig.signer.publicKey, sign: m => rig.signer.sign(m), lock: () => { locked.push(name) } }
      },
    }), testLog)
  }, 60_000)
  afterAll(async () => {
    await rig.close()
    src.cleanup()
  })

  async function call<T> (method: string, params: unknown[], authenticated = true): Promise<{ result?: T, error?: { code: number, message: string, data?: unknown } }> {
    return await dispatcher.handle({ jsonrpc: '2.0', id: ++id, method, params }, { transport: 'http', authenticated }) as { result?: T, error?: { code: number, message: string } }
  }
  async function finished (job: string): Promise<ImportStatusInfo> {
    return await waitFor(`import ${job} to end`, async () => {
      const { result } = await call<ImportStatusInfo>('import_status', [job])
      return result?.running === false && result
    })
  }
  const options = { ...COLLECTION, meta_contract_id: 'open', key: 'creator', passphrase: 'secret passphrase' }

  it('import_folder starts a job in the node and import_status follows it to its report', async () => {
    const dir = path.join(src.dir, 'folder')
    fs.mkdirSync(dir)
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify({ name: `#${i}` }))
    fs.writeFileSync(path.join(dir, '30.json'), '{oops')
    const started = await call<ImportStatusInfo>('import_folder', [dir, options])
    expect(started.result).toMatchObject({ format: 'folder', running: true, params: { source: dir, alias: '', version: 'v1', meta_contract_id: 'open' } })
    const done = await finished(started.result?.job ?? '')
    expect(done).toMatchObject({ state: 'done', running: false, done: 31, total: 31, applied: 30, rejected: 1, progress: null })
    expect(done.report).toMatchObject({ state: 'done', applied: 30, rejected_count: 1, rejected: [{ item: '30.json', reason: expect.stringMatching(/^not valid JSON/) }] })
    expect(done.rejected_items).toEqual(done.report?.rejected)
    expect(locked).toContain('creator')
  })

  it('refuses relative paths, path tricks, missing paths, unauthenticated callers and a wrong passphrase', async () => {
    const dir = path.join(src.dir, 'folder')
    expect((await call('import_folder', ['folder', options])).error).toMatchObject({ message: expect.stringContaining('absolute') })
    expect((await call('import_folder', [`${src.dir}/x/../folder`, options])).error).toMatchObject({ message: expect.stringContaining('".."') })
    expect((await call('import_folder', [path.join(src.dir, 'nope'), options])).error).toMatchObject({ message: expect.stringContaining('does not exist') })
    // Codes by error name once api/errors.ts lists them; until then an internal error, never a result.
    const wrong = (await call('import_folder', [dir, { ...options, passphrase: 'wrong' }])).error
    expect(wrong?.code).toBe(codeOf('WrongPassphraseError'))
    expect((await call('import_folder', [dir, options], false)).error).toBeDefined()
    expect((await call('import_folder', [dir, { ...options, extra: 1 }])).error).toMatchObject({ code: -32602 })
    expect((await call('import_status', ['no-such-job'])).error?.code).toBe(codeOf('ImportJobNotFoundError'))
  })

  it('import_cancel stops a running job; import_folder with resume finishes it without duplicates', async () => {
    const ITEMS = 1500
    const dir = path.join(src.dir, 'many')
    fs.mkdirSync(dir)
    for (let i = 1000; i < 1000 + ITEMS; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify({ name: `#${i}` }))
    const started = await call<ImportStatusInfo>('import_folder', [dir, options])
    const job = started.result?.job ?? ''
    // Cancelled once items are going in, far from the end: the cancel path itself, not a race
    // with the end of the job.
    await waitFor('the first item to go in', async () => {
      const { result } = await call<ImportStatusInfo>('import_status', [job])
      expect(result?.running, 'the job ended before it could be cancelled').toBe(true)
      return (result?.done ?? 0) > 0
    }, { intervalMs: 10 })
    expect((await call<ImportStatusInfo>('import_cancel', [job])).result?.job).toBe(job)
    const cancelled = await finished(job)
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.applied).toBeGreaterThan(0)
    expect(cancelled.applied).toBeLessThan(ITEMS)
    const resumed = await call<ImportStatusInfo>('import_folder', [dir, { ...options, resume: job }])
    expect(resumed.error).toBeUndefined()
    const done = await finished(job)
    expect(done).toMatchObject({ state: 'done', applied: ITEMS, rejected: 0 })
    expect(rig.count(`SELECT count(*) AS n FROM transactions WHERE method = 'metadata' AND CAST(token_id AS INTEGER) BETWEEN 1000 AND ${999 + ITEMS}`)).toBe(ITEMS)
  })

  it('import_car stores and verifies the blocks of a CAR and names the version roots', async () => {
    const slot = rig.lineage.slot({ data_key: rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, '3'), meta_contract_id: 'open', public_key: rig.signer.publicKey, alias: '', version: 'v1' })
    expect(slot).toBeDefined()
    const file = path.join(src.dir, 'export.car')
    const chunks: Uint8Array[] = []
    for await (const chunk of exportCar(rig.blockstore, [await import('multiformats/cid').then(m => m.CID.parse(slot?.head_cid ?? ''))])) chunks.push(chunk)
    fs.writeFileSync(file, Buffer.concat(chunks))
    const started = await call<ImportStatusInfo>('import_car', [file])
    expect(started.result?.format).toBe('car')
    const done = await finished(started.result?.job ?? '')
    expect(done.report?.car).toMatchObject({ blocks: 1, roots: [slot?.head_cid], version_roots: [{ cid: slot?.head_cid, transaction: slot?.last_tx, method: 'metadata', known: true }] })
    expect((await call('import_car', [path.join(src.dir, 'folder')])).error).toMatchObject({ message: expect.stringContaining('not a .car file') })
    fs.writeFileSync(path.join(src.dir, 'bad.car'), 'not a car at all')
    const bad = await call<ImportStatusInfo>('import_car', [path.join(src.dir, 'bad.car')])
    expect(await finished(bad.result?.job ?? '')).toMatchObject({ state: 'failed', error: expect.stringContaining('CAR') })
  })
})
