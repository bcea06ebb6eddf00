// Every RPC method that takes an EVM address (a public_key, a contract address, an alias that is
// the writer's own key) answers the same for the wallet's EIP-55 checksum, lower case and upper
// case; and a write of unchanged content says so in its receipt. A real node over HTTP.
import { getAddress } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReceiptInfo, SlotInfo, SlotVersionInfo } from '../../src-main/api/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const ADDRESS = '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D'
/** The spellings a client may send: the checksum a wallet shows, lower case, upper case. */
const spellings = (address: string): string[] => [getAddress(address), address.toLowerCase(), `0x${address.slice(2).toUpperCase()}`]

describe('EVM addresses in any case, and unchanged writes, over JSON-RPC', () => {
  let running: TestNode
  let node: LineageNode
  let url: string
  let dataKey: string
  let head: string
  const binder = evmSigner()
  const fan = evmSigner()

  async function call<T> (method: string, ...params: unknown[]): Promise<{ result?: T, error?: { code: number, message: string } }> {
    return (await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))).json as { result?: T }
  }
  async function publish (signer: typeof binder, fields: Record<string, string>): Promise<ReceiptInfo> {
    const request = await signer.sign({ method: 'metadata', chain_id: '1', token_address: ADDRESS, token_id: '7', meta_contract_id: 'erc721', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
    const { result } = await call<{ hash: string }>('publish', request)
    await node.lineage.settled()
    const receipt = await call<ReceiptInfo>('get_transaction_receipt', result?.hash)
    if (receipt.result === undefined) throw new Error(`no receipt: ${JSON.stringify(receipt)}`)
    return receipt.result
  }

  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    url = `${running.base}/rpc`
    expect((await publish(binder, { method: 'contract', token_id: '', data: '{}' })).status).toBe('applied')
    const written = await publish(binder, { data: '{"name":"Seven"}' })
    head = written.heads[0] ?? ''
    dataKey = (await call<string>('generate_data_key', '1', ADDRESS, '7')).result ?? ''
    for (const alias of spellings(fan.publicKey)) expect((await publish(fan, { alias, data: `{"from":"${alias}"}` })).status).toBe('applied')
  }, 60_000)
  afterAll(async () => { await running.stop() })

  it('get_metadata, get_metadata_with_history and get_history find a slot by public_key in any case', async () => {
    for (const key of spellings(binder.publicKey)) {
      expect((await call<SlotInfo>('get_metadata', dataKey, 'erc721', key, '', 'v1')).result, key).toMatchObject({ cid: head, public_key: binder.publicKey.toLowerCase() })
      expect((await call<SlotInfo & { history: SlotVersionInfo[] }>('get_metadata_with_history', dataKey, 'erc721', key, '', 'v1')).result?.history.map(v => v.cid), key).toEqual([head])
      expect((await call<{ head: string }>('get_history', dataKey, 'erc721', key, '', 'v1')).result?.head, key).toBe(head)
    }
  })

  it('an erc721 writer\'s own-address alias is one slot, found by key and alias in any case', async () => {
    const lower = fan.publicKey.toLowerCase()
    for (const key of spellings(fan.publicKey)) {
      for (const alias of spellings(fan.publicKey)) {
        const slot = (await call<SlotInfo>('get_metadata', dataKey, 'erc721', key, alias, 'v1')).result
        expect(slot, `${key} ${alias}`).toMatchObject({ public_key: lower, alias: lower, content: { from: `0x${lower.slice(2).toUpperCase()}` } })
      }
    }
    expect((await call<{ head: string, items: unknown[] }>('get_history', dataKey, 'erc721', getAddress(fan.publicKey), getAddress(fan.publicKey), 'v1')).result?.items).toHaveLength(3)
  })

  it('get_token, list_tokens and generate_token_key take the contract address in any case, and answer it in lower case', async () => {
    const keys = new Set<string>()
    for (const address of spellings(ADDRESS)) {
      const token = (await call<{ data_key: string, token_address: string, slots: unknown[] }>('get_token', { chain_id: '1', token_address: address, token_id: '7' })).result
      expect(token, address).toMatchObject({ data_key: dataKey, token_address: ADDRESS.toLowerCase() })
      expect(token?.slots).toHaveLength(2)
      const page = (await call<{ items: Array<{ token_id: string }> }>('list_tokens', { chain_id: '1', token_address: address })).result
      expect(page?.items.map(i => i.token_id), address).toEqual(['7'])
      keys.add((await call<string>('generate_token_key', '1', address)).result ?? '')
    }
    expect(keys.size).toBe(1)
  })

  it('follow_add keeps one collection, in lower case, whatever spelling it is given', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(node.config.dataDir) ?? ''}` }
    const follow = async (address: string): Promise<{ token_key: string, token_address: string }> =>
      ((await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'follow_add', params: ['1', address] }), headers)).json as { result: { token_key: string, token_address: string } }).result
    // A collection this node has not written to (it follows those itself), first named by its checksum.
    const other = '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae'
    expect(getAddress(other)).not.toBe(other)
    const answers = []
    for (const address of spellings(other)) answers.push(await follow(address))
    expect(new Set(answers.map(a => a.token_key)).size).toBe(1)
    expect(answers.map(a => a.token_address)).toEqual(Array(3).fill(other))
  })

  it('search filters compare public_key and token_address in any case', async () => {
    for (const key of spellings(binder.publicKey)) {
      expect((await call('search_metadatas_count', { query: [{ column: 'public_key', op: '=', query: key }] })).result, key).toBe(1)
      expect((await call<unknown[]>('get_transactions', { query: [{ column: 'public_key', op: '=', query: key }] })).result, key).toHaveLength(2)
    }
    for (const address of spellings(ADDRESS)) {
      const rows = (await call<Array<{ token_address: string }>>('get_transactions', { query: [{ column: 'token_address', op: '=', query: address }] })).result
      expect(rows?.map(r => r.token_address), address).toEqual(Array(5).fill(ADDRESS.toLowerCase()))
    }
  })

  it('a write of the content the slot holds is applied, unchanged, and names the version that holds it', async () => {
    const again = await publish(binder, { data: '{ "name": "Seven" }' })
    expect(again).toMatchObject({ status: 'applied', reason: '', unchanged: true, heads: [head] })
    expect((await call<SlotInfo>('get_metadata', dataKey, 'erc721', binder.publicKey, '', 'v1')).result?.cid).toBe(head)
    const changed = await publish(binder, { data: '{"name":"Seven (v2)"}' })
    expect(changed).toMatchObject({ status: 'applied', unchanged: false })
    expect(changed.heads[0]).not.toBe(head)
  })
})
