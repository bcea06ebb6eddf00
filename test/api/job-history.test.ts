/**
 * Kept reports and "Restore this version", on a real node (SQLite, the erc721 contract in
 * marine-js, HTTP JSON-RPC): an import's refused items and an export stay listed after the node
 * restarts, until cleared; an unchanged re-import says "already there"; restoring an old version
 * publishes a new signed version with exactly the old content, keeping the whole history.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HistoryPageInfo, ImportStatusInfo, JobSummaryInfo, ReceiptInfo, TokenInfo } from '../../src-main/api/rpc-types.js'
import { createLineageNode, readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { restoreRequest } from '../../src-renderer/src/lib/rules/restore.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { postRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

const COLLECTION = { chain_id: '8453', token_address: '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23' }
const PASSPHRASE = 'correct horse battery'

interface Answer<T> { result?: T, error?: { code: number, message: string } }

describe('kept import and export reports, and restoring a version (real node)', () => {
  let dir: string
  let cleanup: () => void
  let node: LineageNode
  let base: string

  async function start (): Promise<void> {
    node = createLineageNode(testNodeConfig(path.join(dir, 'node'), { offline: true }), { logger: testLogger })
    await node.start()
    base = node.status().apiUrl ?? ''
  }
  async function call<T> (method: string, params: unknown[] = []): Promise<Answer<T>> {
    const token = readApiToken(path.join(dir, 'node')) ?? ''
    return (await postRpc(`${base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })).json as Answer<T>
  }
  async function result<T> (method: string, params: unknown[] = []): Promise<T> {
    const answer = await call<T>(method, params)
    if (answer.error !== undefined) throw new Error(`${method}: ${answer.error.message}`)
    return answer.result as T
  }
  async function applied (hash: string): Promise<ReceiptInfo> {
    await node.lineage.settled()
    const receipt = await result<ReceiptInfo | null>('get_transaction_receipt', [hash])
    if (receipt === null) throw new Error(`no receipt for ${hash}`)
    return receipt
  }
  async function importFolder (folder: string): Promise<ImportStatusInfo> {
    const { job } = await result<ImportStatusInfo>('import_folder', [folder, { ...COLLECTION, meta_contract_id: 'erc721', key: 'studio', passphrase: PASSPHRASE }])
    // The import runs in the node; its end is a fact the job row records.
    return await waitFor(`import ${job} to end`, async () => {
      const status = await result<ImportStatusInfo>('import_status', [job])
      return !status.running && status.state !== 'running' && status
    }, { timeoutMs: 60_000 })
  }

  beforeAll(async () => {
    ;({ dir, cleanup } = tempDir())
    const folder = path.join(dir, 'art')
    fs.mkdirSync(folder)
    fs.writeFileSync(path.join(folder, '1.json'), JSON.stringify({ name: 'One' }))
    fs.writeFileSync(path.join(folder, '2.json'), JSON.stringify({ name: 'Two', background_color: 'fff' }))
    fs.writeFileSync(path.join(folder, '3.json'), JSON.stringify({ name: 'Three' }))
    await start()
    await result('keys_new', ['studio', 'secp256k1', PASSPHRASE])
    await applied((await result<{ hash: string }>('sign_and_publish', ['studio', PASSPHRASE, { method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'erc721' }])).hash)
  })
  afterAll(async () => {
    await node?.stop()
    cleanup?.()
  })

  let importJob = ''
  let exportJob = ''

  it('lists an import with its counts, and keeps its refused item with the contract\'s reason', async () => {
    const status = await importFolder(path.join(dir, 'art'))
    importJob = status.job
    expect(status.state).toBe('done')
    const [listed] = await result<JobSummaryInfo[]>('job_history')
    expect(listed).toMatchObject({ job: importJob, kind: 'import', format: 'folder', state: 'done', path: path.join(dir, 'art'), applied: 2, unchanged: 0, rejected: 1, ...COLLECTION })
    expect(status.rejected_items).toEqual([{ item: '2.json', token_id: '2', reason: expect.stringMatching(/^invalid ERC-721 metadata: background_color: /) as unknown }])
  })

  it('says "already there" for every unchanged item when the same folder is imported again', async () => {
    const again = await importFolder(path.join(dir, 'art'))
    expect(again.job).not.toBe(importJob)
    expect({ applied: again.applied, unchanged: again.unchanged, rejected: again.rejected }).toEqual({ applied: 2, unchanged: 2, rejected: 1 })
    const history = await result<JobSummaryInfo[]>('job_history')
    expect(history.map(j => j.job)).toEqual([again.job, importJob])
  })

  it('lists an export with what it wrote', async () => {
    const file = path.join(dir, 'backup.car')
    const written = await result<{ transactions: number, bytes: number }>('export_car', [file])
    const [listed] = await result<JobSummaryInfo[]>('job_history')
    exportJob = listed?.job ?? ''
    expect(listed).toMatchObject({ kind: 'export', format: 'car', state: 'done', path: file, transactions: written.transactions, bytes: written.bytes })
    // bytes counts the blocks; the file adds the CAR framing around them.
    expect(fs.statSync(file).size).toBeGreaterThan(written.bytes)
    // A refused path is the form's error, not a job: nothing more is listed.
    expect((await call('export_car', [file])).error?.code).toBe(-32602)
    expect((await result<JobSummaryInfo[]>('job_history')).length).toBe(3)
  })

  it('still has every report, refused items included, after the node restarts', async () => {
    await node.stop()
    await start()
    const history = await result<JobSummaryInfo[]>('job_history')
    expect(history.map(j => [j.kind, j.state])).toEqual([['export', 'done'], ['import', 'done'], ['import', 'done']])
    const status = await result<ImportStatusInfo>('import_status', [importJob])
    expect(status.rejected_items.map(r => r.item)).toEqual(['2.json'])
    expect(status.rejected).toBe(1)
  })

  it('clears one job when asked, and only that one; an unknown job is said to be unknown', async () => {
    const left = await result<JobSummaryInfo[]>('job_forget', [exportJob])
    expect(left.map(j => j.kind)).toEqual(['import', 'import'])
    expect((await call('job_forget', [exportJob])).error?.code).toBe(-32042)
    expect((await result<JobSummaryInfo[]>('job_history')).map(j => j.job)).toEqual(left.map(j => j.job))
    // What was imported stays.
    expect((await result<TokenInfo | null>('get_token', [{ ...COLLECTION, token_id: '1' }]))?.metadata).toEqual({ name: 'One' })
  })

  it('restores an old version as a new signed version with exactly its content, keeping the history', async () => {
    const at = { chainId: COLLECTION.chain_id, address: COLLECTION.token_address, tokenId: '1' }
    const second = { name: 'One, renamed', description: 'changed' }
    await applied((await result<{ hash: string }>('sign_and_publish', ['studio', PASSPHRASE, { method: 'metadata', ...COLLECTION, token_id: '1', meta_contract_id: 'erc721', data: JSON.stringify(second) }])).hash)
    const token = await result<TokenInfo>('get_token', [{ ...COLLECTION, token_id: '1' }])
    const slot = token.slots.find(s => s.alias === '' && s.meta_contract_id === 'erc721')
    if (slot === undefined) throw new Error('no main slot')
    const history = async (): Promise<HistoryPageInfo> => await result<HistoryPageInfo>('get_history', [slot.data_key, slot.meta_contract_id, slot.public_key, slot.alias, slot.version])
    const before = await history()
    expect(before.items.map(v => v.content)).toEqual([second, { name: 'One' }])
    const oldest = before.items[1]
    if (oldest === undefined) throw new Error('no first version')

    const receipt = await applied((await result<{ hash: string }>('sign_and_publish', ['studio', PASSPHRASE, restoreRequest(at, oldest, 'erc721')])).hash)
    expect(receipt.status).toBe('applied')
    const after = await history()
    expect(after.items.map(v => v.content)).toEqual([{ name: 'One' }, second, { name: 'One' }])
    // A new version (its own block, after the others), not a rewind to the old one.
    expect(after.head).toBe(receipt.heads[0])
    expect(new Set(after.items.map(v => v.cid)).size).toBe(3)
    expect(after.items[0]?.previous).toBe(before.head)
    expect((await result<TokenInfo>('get_token', [{ ...COLLECTION, token_id: '1' }])).metadata).toEqual({ name: 'One' })
  })
})
