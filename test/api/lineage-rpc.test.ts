import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { ReceiptInfo, SlotInfo, SlotVersionInfo } from '../../src-main/api/index.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'

const COLLECTION = { chain_id: '137', token_address: '0x7d1afa7b718fb893db30a3abc0cfc608aacfebb0' }

describe('Lineage JSON-RPC over HTTP on a real node', () => {
  let node: LineageNode
  let url: string
  let running: TestNode
  let id = 0
  const binder = evmSigner()

  async function call<T> (method: string, ...params: unknown[]): Promise<{ result?: T, error?: { code: number, message: string, data?: { field?: string } } }> {
    const { json } = await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))
    return json as { result?: T, error?: { code: number, message: string } }
  }
  async function receipt (hash: string): Promise<ReceiptInfo> {
    await node.lineage.settled()
    const { result } = await call<ReceiptInfo>('get_transaction_receipt', hash)
    if (result === undefined) throw new Error('no receipt')
    return result
  }
  const sign = async (fields: Record<string, string>): Promise<Record<string, string>> =>
    await binder.sign({ method: 'metadata', ...COLLECTION, token_id: '7', meta_contract_id: 'erc721', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never) as unknown as Record<string, string>

  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    url = `${node.status().apiUrl ?? ''}/rpc`
  })
  afterAll(async () => { await running.stop() })

  it('binds, publishes, reads the slot and its history, through the original method names', async () => {
    const bound = await call<{ hash: string }>('publish', await sign({ method: 'contract', token_id: '', data: '{}' }))
    expect((await receipt(bound.result?.hash ?? '')).status).toBe('applied')
    const binding = await call<{ meta_contract_id: string, public_key: string }>('get_meta_contract', (await call<string>('generate_token_key', COLLECTION.chain_id, COLLECTION.token_address)).result)
    expect(binding.result).toMatchObject({ meta_contract_id: 'erc721', public_key: binder.publicKey.toLowerCase() })

    const v1 = await call<{ hash: string }>('publish', await sign({ data: '{"name":"Seven","image":"ipfs://x"}' }))
    const v2 = await call<{ hash: string }>('publish', await sign({ data: '{"name":"Seven (v2)","image":"ipfs://y"}' }))
    const r2 = await receipt(v2.result?.hash ?? '')
    expect(r2).toMatchObject({ status: 'applied', reason: '' })

    const dataKey = (await call<string>('generate_data_key', COLLECTION.chain_id, COLLECTION.token_address, '7')).result ?? ''
    const slot = await call<SlotInfo & { history: SlotVersionInfo[] }>('get_metadata_with_history', dataKey, 'erc721', binder.publicKey.toLowerCase(), '', 'v1')
    expect(slot.result?.cid).toBe(r2.heads[0])
    expect(slot.result?.content).toEqual({ name: 'Seven (v2)', image: 'ipfs://y' })
    expect(slot.result?.history.map(h => h.transaction.hash)).toEqual([v2.result?.hash, v1.result?.hash])
    expect((await call<SlotInfo[]>('get_metadatas', dataKey, 'v1')).result).toHaveLength(1)
    expect((await call<{ status: string }>('get_transaction', v1.result?.hash)).result).toMatchObject({ status: 'applied', data_key: dataKey })
    expect((await call('get_metadata', dataKey, 'erc721', binder.publicKey.toLowerCase(), '', 'v9')).result).toBeNull()
    expect((await call('get_transaction', '0'.repeat(64))).result).toBeNull()
  })

  it('answers each item of publish_batch on its own', async () => {
    const good = await sign({ token_id: '8', data: '{"name":"Eight"}' })
    const bad = { ...(await sign({ token_id: '9', data: '{"name":"Nine"}' })), token_id: '10' }
    const { result } = await call<Array<{ hash?: string, error?: { code: number } }>>('publish_batch', [good, bad, good])
    expect(result?.[0]?.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(result?.[1]?.error?.code).toBe(RPC_ERROR_CODES.InvalidSignatureError)
    expect(result?.[2]?.error?.code).toBe(RPC_ERROR_CODES.ReplayedTransactionError)
  })

  it('names the field of a malformed request, and the reason of a refused one', async () => {
    const request = await sign({ data: '{}' })
    const oversized = await call('publish', { ...request, alias: 'a'.repeat(65) })
    expect(oversized.error).toMatchObject({ code: -32602, data: { field: 'alias' } })
    const unknownField = await call('publish', { ...request, color: 'red' })
    expect(unknownField.error).toMatchObject({ code: -32602, data: { field: 'color' } })
    const notObject = await call('publish', 'hello')
    expect(notObject.error).toMatchObject({ code: -32602, message: expect.stringContaining('request must be object') })
    const tampered = await call('publish', { ...request, version: 'v2' })
    expect(tampered.error?.code).toBe(RPC_ERROR_CODES.InvalidSignatureError)
    expect((await call('get_transaction', 'not-a-hash')).error).toMatchObject({ code: -32602, data: { field: 'hash' } })
  })
})
