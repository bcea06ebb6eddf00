/**
 * Bulk edit over the JSON-RPC API of a real node (SQLite, the erc721 contract in marine-js, HTTP):
 * the methods need the API token; bad input is refused with the code and the field a form maps
 * to a label, before the passphrase is tried, and changes nothing; an edit runs as a job kept in
 * the job history, still readable after the node restarts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BulkEditJobInfoWire, BulkEditParam, BulkPreviewInfo, ImportStatusInfo, JobSummaryInfo, ReceiptInfo } from '../../src-main/api/rpc-types.js'
import { createLineageNode, readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { postRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

const COLLECTION = { chain_id: '8453', token_address: '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23' }
const PASSPHRASE = 'correct horse battery'
const TOKENS = 30

interface Answer<T> { result?: T, error?: { code: number, message: string, data?: { name?: string, field?: string } } }

describe('bulk edit over the API (real node)', () => {
  let dir: string
  let cleanup: () => void
  let node: LineageNode
  let base: string

  async function start (): Promise<void> {
    node = createLineageNode(testNodeConfig(path.join(dir, 'node'), { offline: true }), { logger: testLogger })
    await node.start()
    base = node.status().apiUrl ?? ''
  }
  async function call<T> (method: string, params: unknown[] = [], token = readApiToken(path.join(dir, 'node')) ?? ''): Promise<Answer<T>> {
    return (await postRpc(`${base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })).json as Answer<T>
  }
  async function result<T> (method: string, params: unknown[] = []): Promise<T> {
    const answer = await call<T>(method, params)
    if (answer.error !== undefined) throw new Error(`${method}: ${answer.error.message}`)
    return answer.result as T
  }
  async function until<T extends { running: boolean, state: string }> (method: string, job: string): Promise<T> {
    // The job runs in the node; its end is a fact its row records.
    return await waitFor(`${method} of ${job} to say it ended`, async () => {
      const status = await result<T>(method, [job])
      return !status.running && status.state !== 'running' && status
    }, { timeoutMs: 60_000 })
  }
  const transactions = async (): Promise<number> => (await result<unknown[]>('get_transactions', [{ query: [], to: 1000 }])).length
  const edit = (selection: BulkEditParam['selection'], operation: BulkEditParam['operation']): BulkEditParam => ({ ...COLLECTION, selection, operation, key: 'studio' })

  beforeAll(async () => {
    ;({ dir, cleanup } = tempDir())
    const folder = path.join(dir, 'art')
    fs.mkdirSync(folder)
    for (let i = 1; i <= TOKENS; i++) fs.writeFileSync(path.join(folder, `${i}.json`), JSON.stringify({ name: `Owl ${i}`, attributes: [{ trait_type: 'Eyes', value: i % 2 === 0 ? 'Green' : 'Amber' }] }))
    await start()
    await result('keys_new', ['studio', 'secp256k1', PASSPHRASE])
    const bound = await result<{ hash: string }>('sign_and_publish', ['studio', PASSPHRASE, { method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'erc721' }])
    await node.lineage.settled()
    expect((await result<ReceiptInfo>('get_transaction_receipt', [bound.hash])).status).toBe('applied')
    const { job } = await result<ImportStatusInfo>('import_folder', [folder, { ...COLLECTION, meta_contract_id: 'erc721', key: 'studio', passphrase: PASSPHRASE }])
    expect(await until<ImportStatusInfo>('import_status', job)).toMatchObject({ state: 'done', applied: TOKENS })
  }, 60_000)
  afterAll(async () => {
    await node?.stop()
    cleanup?.()
  })

  it('needs the API token', async () => {
    const answer = await call('bulk_edit_preview', [edit({ filter: {} }, { op: 'remove_trait', trait_type: 'Eyes' })], 'not-the-token')
    expect(answer.error?.code).toBe(-32004)
  })

  it('refuses bad input with a code and the field it is about, before the passphrase, changing nothing', async () => {
    const before = await transactions()
    const refusal = async (param: unknown, passphrase?: string): Promise<{ code?: number, name?: string, field?: string }> => {
      const answer = await call(passphrase === undefined ? 'bulk_edit_preview' : 'bulk_edit_apply', passphrase === undefined ? [param] : [param, passphrase])
      return { code: answer.error?.code, name: answer.error?.data?.name, field: answer.error?.data?.field }
    }
    expect(await refusal(edit({ filter: {} }, { op: 'remove_trait', trait_type: 'Hat' }))).toEqual({ code: -32180, name: 'BulkEditUnknownTraitError', field: undefined })
    expect(await refusal(edit({ filter: {} }, { op: 'set_trait', trait_type: '', value: 'x' }))).toEqual({ code: -32602, name: 'BulkEditInputError', field: 'operation.trait_type' })
    expect(await refusal(edit({ filter: {} }, { op: 'set_trait', trait_type: 'Eyes' } as never))).toMatchObject({ code: -32602, field: 'operation.value' })
    expect(await refusal(edit({ filter: { text: 'unicorn' } }, { op: 'set_trait', trait_type: 'Eyes', value: 'x' }))).toMatchObject({ code: -32182 })
    expect(await refusal(edit({ token_ids: ['1'], filter: {} } as never, { op: 'set_trait', trait_type: 'Eyes', value: 'x' }))).toMatchObject({ code: -32602, field: 'selection' })
    expect(await refusal({ ...edit({ filter: {} }, { op: 'set_trait', trait_type: 'Eyes', value: 'x' }), key: 'nobody' })).toMatchObject({ field: 'key' })
    // Checked before the key is unlocked: the bad name is reported, not the wrong passphrase.
    expect(await refusal(edit({ filter: {} }, { op: 'remove_trait', trait_type: 'Hat' }), 'wrong passphrase')).toMatchObject({ code: -32180 })
    expect(await refusal(edit({ filter: {} }, { op: 'set_trait', trait_type: 'Eyes', value: 'x' }), 'wrong passphrase')).toMatchObject({ code: -32048 })
    expect(await transactions()).toBe(before)
    expect((await result<JobSummaryInfo[]>('job_history')).filter(j => j.kind === 'edit')).toEqual([])
  })

  it('previews, applies as a job with one passphrase, and keeps it in the job history across a restart', async () => {
    const param = edit({ filter: { traits: [{ trait_type: 'Eyes', value: 'Green' }] } }, { op: 'set_trait', trait_type: 'Eyes', value: 'Gold' })
    const preview = await result<BulkPreviewInfo>('bulk_edit_preview', [param])
    expect(preview).toMatchObject({ selected: 15, change: 15, unchanged: 0, refused: 0, signer_is_binder: true })
    expect(preview.items[0]?.changes).toEqual([{ label: 'Trait "Eyes"', before: 'Green', after: 'Gold' }])
    const started = await result<BulkEditJobInfoWire>('bulk_edit_apply', [param, PASSPHRASE])
    const end = await until<BulkEditJobInfoWire>('bulk_edit_status', started.job)
    expect(end).toMatchObject({ state: 'done', total: 15, done: 15, changed: 15, unchanged: 0, refused: 0, description: 'Set trait "Eyes" to "Gold"' })
    const page = await result<{ total: number }>('browse_tokens', [COLLECTION, { traits: [{ trait_type: 'Eyes', value: 'Gold' }] }])
    expect(page.total).toBe(15)
    await node.stop()
    await start()
    const [listed] = await result<JobSummaryInfo[]>('job_history')
    expect(listed).toMatchObject({ job: started.job, kind: 'edit', format: 'bulk', state: 'done', path: 'Set trait "Eyes" to "Gold"', applied: 15, rejected: 0 })
    expect(await result<BulkEditJobInfoWire>('bulk_edit_status', [started.job])).toMatchObject({ state: 'done', changed: 15, running: false })
    expect((await call('bulk_edit_status', ['no-such-job'])).error?.code).toBe(-32184)
  })
})
