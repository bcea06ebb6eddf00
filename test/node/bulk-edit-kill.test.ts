/**
 * A bulk edit whose node is killed (SIGKILL) halfway, on a real node process: after the restart
 * the job says it was interrupted and counts exactly what it changed (from the ledger), every
 * token holds its old or its new document (each batch committed whole or not at all), and the
 * same edit run again changes only the rest.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BulkEditJobInfoWire, BulkEditParam, BulkPreviewInfo } from '../../src-main/api/rpc-types.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { ownerCaller } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

const COLLECTION = { chain_id: '1', token_address: '0x1f9840a85d5af5bf1d1762f925bdaddc4201f984' }
const PASSPHRASE = 'correct horse battery'
const TOKENS = 600

describe('a bulk edit killed halfway (kill -9 of a real node process)', () => {
  let node: StartedNode
  let dir: string
  let cleanup: () => void
  const start = async (): Promise<void> => { node = await startNodeProcess(['--data-dir', path.join(dir, 'node'), ...TEST_NODE_ARGS, '--offline'], 90_000) }
  const call = ownerCaller(() => node)
  const named = async (text: string): Promise<number> => (await call<{ total: number }>('browse_tokens', COLLECTION, { text, facets: false })).total
  const edit: BulkEditParam = { ...COLLECTION, selection: { filter: {} }, operation: { op: 'set_field', field: 'name', value: 'Renamed lantern' }, key: 'studio' }

  beforeAll(async () => {
    ;({ dir, cleanup } = tempDir())
    const folder = path.join(dir, 'art')
    fs.mkdirSync(folder)
    for (let i = 1; i <= TOKENS; i++) fs.writeFileSync(path.join(folder, `${i}.json`), JSON.stringify({ name: `Original lantern ${i}` }))
    await start()
    await call('keys_new', 'studio', 'ed25519', PASSPHRASE)
    await call('sign_and_publish', 'studio', PASSPHRASE, { method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'open' })
    const { job } = await call<{ job: string }>('import_folder', folder, { ...COLLECTION, meta_contract_id: 'open', key: 'studio', passphrase: PASSPHRASE })
    await waitFor(`import ${job} to end`, async () => {
      const status = await call<{ state: string, running: boolean, applied: number }>('import_status', job)
      return status.state !== 'running' && !status.running
    }, { timeoutMs: 120_000, intervalMs: 100 })
    expect(await named('original')).toBe(TOKENS)
  }, 180_000)
  afterAll(async () => {
    node?.child.kill('SIGKILL')
    await node?.exited
    cleanup?.()
  })

  it('after the restart: interrupted, exact counts, each token old or new, and a re-run finishes the rest', async () => {
    const started = await call<BulkEditJobInfoWire>('bulk_edit_apply', edit, PASSPHRASE)
    // Killed as soon as a first batch is reported done, while later ones are still to come.
    await waitFor('a first batch of the edit to be done', async () => (await call<BulkEditJobInfoWire>('bulk_edit_status', started.job)).done > 0, { timeoutMs: 60_000, intervalMs: 5 })
    node.child.kill('SIGKILL')
    await node.exited
    await start()
    // What the killed process committed but had not applied yet is applied at start.
    await waitFor('the restarted node to apply what was pending', async () => (await call<unknown[]>('get_pending_transactions')).length === 0, { timeoutMs: 60_000, intervalMs: 100 })
    const after = await call<BulkEditJobInfoWire>('bulk_edit_status', started.job)
    const renamed = await named('renamed')
    // Every token holds one of its two documents, never a part of a batch missing.
    expect(renamed + await named('original')).toBe(TOKENS)
    expect(renamed % 200 === 0 || renamed === TOKENS).toBe(true)
    expect(after.changed).toBe(renamed)
    if (renamed < TOKENS) expect(after).toMatchObject({ state: 'failed', running: false, error: expect.stringMatching(/^interrupted: the node stopped while it ran/) as unknown })
    const preview = await call<BulkPreviewInfo>('bulk_edit_preview', edit)
    expect(preview).toMatchObject({ selected: TOKENS, change: TOKENS - renamed, unchanged: renamed })
    const again = await call<BulkEditJobInfoWire>('bulk_edit_apply', edit, PASSPHRASE)
    const end = again.running || again.state === 'running'
      ? await waitFor('the re-run to end', async () => {
        const status = await call<BulkEditJobInfoWire>('bulk_edit_status', again.job)
        return !status.running && status.state !== 'running' && status
      }, { timeoutMs: 60_000, intervalMs: 100 })
      : again
    expect(end).toMatchObject({ state: 'done', changed: TOKENS - renamed, unchanged: renamed, refused: 0 })
    expect(await named('renamed')).toBe(TOKENS)
    const history = await call<Array<{ job: string, state: string }>>('job_history')
    expect(history.filter(j => j.job === started.job || j.job === again.job).map(j => j.state)).toEqual(['done', renamed < TOKENS ? 'failed' : 'done'])
  }, 120_000)
})
