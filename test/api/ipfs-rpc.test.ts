import * as dagJson from '@ipld/dag-json'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { IpfsGetResultInfo, ReceiptInfo } from '../../src-main/api/index.js'
import { createDispatcher } from '../../src-main/api/rpc/index.js'
import type { Dispatcher } from '../../src-main/api/rpc/index.js'
import { ipfsMethods } from '../../src-main/api/rpc/ipfs-methods.js'
import { createBlockReader } from '../../src-main/ipfs/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { createBlockstore, createStore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore, Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { postRpc } from '../helpers/rpc.js'
import { builtService } from '../helpers/services.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { tempDir } from '../helpers/temp-dir.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000019f5' }

type Answer<T> = { result?: T, error?: { code: number, message: string, data?: { field?: string, name?: string } } }

async function call<T> (node: TestNode, method: string, params: unknown, token = false): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${readApiToken(node.node.config.dataDir) ?? ''}` } : {}) }
  return (await postRpc(`${node.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), headers)).json as Answer<T>
}

describe('ipfs_get on real nodes: blocks held, and blocks fetched from a peer', () => {
  let a: TestNode
  let b: TestNode
  const heads: string[] = []
  let wasmCid = ''
  const wasm = builtService('open')

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestNode(), startTestNode()])
    const writer = evmSigner()
    for (const [method, data] of [['contract', '{}'], ['metadata', '{"name":"One"}'], ['metadata', '{"name":"One","image":"ipfs://two"}']] as const) {
      const { hash } = a.node.lineage.publish(await writer.sign({ method, ...COLLECTION, token_id: method === 'contract' ? '' : '1', meta_contract_id: 'open', alias: '', version: 'v1', data, mcdata: '' }))
      await a.node.lineage.settled()
      const receipt = (await call<ReceiptInfo>(a, 'get_transaction_receipt', [hash])).result
      expect(receipt?.status).toBe('applied')
      heads.push(...(receipt?.heads ?? []))
    }
    const deployed = await call<{ cid: string }>(a, 'deploy_meta_contract', ['copy-of-open', Buffer.from(wasm).toString('base64')], true)
    wasmCid = deployed.result?.cid ?? ''
  }, 120_000)
  afterAll(async () => { await Promise.all([a.stop(), b.stop()]) })

  it('answers a version block as dag-json text, the same bytes the gateway serves, with its link to the previous version', async () => {
    const [first, second] = [heads[0] ?? '', heads[1] ?? '']
    const { result } = await call<IpfsGetResultInfo>(a, 'ipfs_get', [second])
    expect(result).toMatchObject({ success: true, error: '' })
    const block = JSON.parse(result?.content ?? '') as { content: unknown, previous: { '/': string }, timestamp: number, transaction: { method: string } }
    expect(block.content).toEqual({ name: 'One', image: 'ipfs://two' })
    expect(block.previous).toEqual({ '/': first })
    expect(block.transaction.method).toBe('metadata')
    const gateway = await fetch(`${a.base}/ipfs/${second}`)
    expect(result?.content).toBe(await gateway.text())
    // Positional or named, and no API token: it only reads.
    expect((await call<IpfsGetResultInfo>(a, 'ipfs_get', { cid: second })).result).toEqual(result)
  })

  it('answers any other codec as its bytes in dag-json form', async () => {
    const { result } = await call<IpfsGetResultInfo>(a, 'ipfs_get', [wasmCid])
    expect(result?.success).toBe(true)
    const bytes = dagJson.decode(new TextEncoder().encode(result?.content ?? '')) as Uint8Array
    expect(Buffer.from(bytes)).toEqual(Buffer.from(wasm))
  })

  it('fetches a block the node lacks from a connected peer, verified, and keeps it', async () => {
    const first = heads[0] ?? ''
    expect((await fetch(`${b.base}/ipfs/${first}`)).status).toBe(404)
    const address = a.node.status().listenAddresses[0] ?? ''
    expect((await call(b, 'peer_connect', [address], true)).error).toBeUndefined()
    const fetched = await call<IpfsGetResultInfo>(b, 'ipfs_get', [first])
    expect(fetched.result).toEqual((await call<IpfsGetResultInfo>(a, 'ipfs_get', [first])).result)
    expect((await fetch(`${b.base}/ipfs/${first}`)).status).toBe(200)
  })

  it('refuses what is not a CID, naming the parameter', async () => {
    expect((await call(a, 'ipfs_get', ['not-a-cid'])).error).toMatchObject({ code: -32602, message: expect.stringContaining('cid is not a valid CID'), data: { field: 'cid' } })
    expect((await call(a, 'ipfs_get', [`${heads[0] ?? ''}/content`])).error).toMatchObject({ code: -32602, data: { field: 'cid' } })
    expect((await call(a, 'ipfs_get', [])).error).toMatchObject({ code: -32602, message: 'Invalid params: cid is required' })
  })
})

describe('ipfs_get on a node that cannot fetch', () => {
  let t: { dir: string, cleanup: () => void }
  let store: Store
  let blockstore: SqliteBlockstore
  let dispatcher: Dispatcher
  beforeAll(() => {
    t = tempDir()
    store = createStore({ log: testLog }, { dataDir: t.dir })
    store.start()
    blockstore = createBlockstore(store, { transactionRows: ledgerReads })
    // The reader an offline node has: no bitswap.
    dispatcher = createDispatcher(ipfsMethods({ blocks: createBlockReader({ blockstore }) }), testLog)
  })
  afterAll(() => { store.stop(); t.cleanup() })

  it('says the block is missing and the node offline, with the block-missing code', async () => {
    const bytes = new TextEncoder().encode('absent')
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    const answer = await dispatcher.handle({ jsonrpc: '2.0', id: 1, method: 'ipfs_get', params: [cid.toString()] }, { transport: 'http', authenticated: false })
    expect(answer).toMatchObject({ error: { code: RPC_ERROR_CODES.BlockMissingError, message: expect.stringContaining(`Block ${cid.toString()} is not on this node, and this node is offline`), data: { name: 'BlockNotHeldError' } } })
    blockstore.putSync(cid, bytes)
    const held = await dispatcher.handle({ jsonrpc: '2.0', id: 2, method: 'ipfs_get', params: [cid.toString()] }, { transport: 'http', authenticated: false })
    expect(held).toMatchObject({ result: { success: true, error: '', content: new TextDecoder().decode(dagJson.encode(bytes)) } })
  })

  it('answers success false for a block that does not decode as its codec says', async () => {
    // Bytes that hash to the CID but are not dag-cbor: what a CAR of foreign blocks may hold.
    const bytes = new TextEncoder().encode('plainly not cbor')
    const cid = CID.createV1(0x71, await sha256.digest(bytes))
    blockstore.putSync(cid, bytes)
    const answer = await dispatcher.handle({ jsonrpc: '2.0', id: 3, method: 'ipfs_get', params: [cid.toString()] }, { transport: 'http', authenticated: false }) as { result: IpfsGetResultInfo }
    expect(answer.result).toMatchObject({ success: false, content: '', error: expect.stringContaining(`Block ${cid.toString()} does not decode as its codec says`) })
  })
})
