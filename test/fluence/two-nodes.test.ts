import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NodeInfo } from '../../src-main/api/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { evmSigner } from '../helpers/signers.js'
import { tempDir } from '../helpers/temp-dir.js'
import { rpcAnswer as rpc } from '../helpers/rpc.js'
import { waitFor } from '../helpers/wait-for.js'

const COLLECTION = { chain_id: '1', token_address: '0x0000000000000000000000000000000000b0b0a0' }
const TOKENS = ['1', '2', '3', '7']

describe('two nodes in separate processes, over the Fluence particle protocol', () => {
  const dirs = [tempDir(), tempDir()]
  let a: StartedNode
  let b: StartedNode
  let aAddress: string
  const writer = evmSigner()

  beforeAll(async () => {
    const start = async (i: number): Promise<StartedNode> => await startNodeProcess([...TEST_NODE_ARGS, '--data-dir', dirs[i]?.dir ?? ''], 60_000)
    ;[a, b] = await Promise.all([start(0), start(1)])
    const info = (await rpc<NodeInfo>(a, 'node_info', [])).result
    aAddress = info?.p2p?.listen_addresses.find(x => !x.includes('/ws/')) ?? ''
    // A holds a collection: bound to erc721, four tokens, token 7 with two versions.
    const sign = async (tokenId: string, data: object, method: 'metadata' | 'contract' = 'metadata') =>
      await writer.sign({ method, ...COLLECTION, token_id: tokenId, meta_contract_id: 'erc721', alias: '', version: 'v1', data: JSON.stringify(data), mcdata: '' })
    const requests = [await sign('', {}, 'contract'), ...await Promise.all(TOKENS.map(async id => await sign(id, { name: `#${id}`, image: `ipfs://${id}` }))), await sign('7', { name: '#7', image: 'ipfs://7b', description: 'second' })]
    for (const request of requests) {
      const { result } = await rpc<{ hash: string }>(a, 'publish', [request])
      await waitFor(`A to apply ${result?.hash ?? '?'}`, async () => (await rpc<{ status: string } | null>(a, 'get_transaction_receipt', [result?.hash])).result?.status === 'applied', { intervalMs: 100 })
    }
  }, 120_000)

  afterAll(async () => {
    for (const n of [a, b]) {
      n.child.kill('SIGTERM')
      await n.exited
    }
    for (const d of dirs) d.cleanup()
  })

  it('B calls A\'s Aqua API and gets A\'s formatted tokenURI JSON', async () => {
    const answer = await rpc<{ peer_id: string, found: boolean, metadata: unknown }>(b, 'peer_get_metadata', [aAddress, COLLECTION.chain_id, COLLECTION.token_address, '7'])
    expect(answer.error).toBeUndefined()
    const served = await (await fetch(`${a.url}/metadata/1/${COLLECTION.token_address}/7`)).json() as unknown
    expect(answer.result).toMatchObject({ peer_id: a.peerId, found: true, metadata: served })
    expect(served).toMatchObject({ name: '#7', image: 'ipfs://7b', description: 'second' })

    const history = await rpc<{ found: boolean, slots: Array<{ versions: Array<{ content: unknown }> }> }>(b, 'peer_get_history', [a.peerId, COLLECTION.chain_id, COLLECTION.token_address, '7'])
    expect(history.result?.slots[0]?.versions.map(v => v.content)).toEqual([{ name: '#7', image: 'ipfs://7b', description: 'second' }, { name: '#7', image: 'ipfs://7' }])
    const page = await rpc<{ items: Array<{ token_id: string }>, total: number }>(b, 'peer_list_collection', [a.peerId, COLLECTION.chain_id, COLLECTION.token_address])
    expect(page.result?.items.map(t => t.token_id)).toEqual(TOKENS)
    const info = await rpc<{ peer_id: string }>(b, 'peer_node_info', [a.peerId])
    expect(info.result?.peer_id).toBe(a.peerId)
  }, 60_000)

  it('B copies the collection from A, every block checked against its CID, and then serves the same documents', async () => {
    const token = fs.readFileSync(path.join(dirs[1]?.dir ?? '', 'api-token'), 'utf8').trim()
    expect((await rpc(b, 'peer_copy_collection', [a.peerId, COLLECTION.chain_id, COLLECTION.token_address], null)).error?.code).toBe(-32004)
    const copy = await rpc<{ blocks: number, bytes: number, roots: string[], transactions: { applied: number, total: number }, heads: { listed: number, current: number } }>(b, 'peer_copy_collection', [aAddress, COLLECTION.chain_id, COLLECTION.token_address], token)
    expect(copy.error).toBeUndefined()
    // One root, the archive, which lists the collection's slot heads (one a token): all of them heads on B now.
    expect(copy.result?.roots).toHaveLength(1)
    expect(copy.result?.heads).toEqual({ listed: TOKENS.length, current: TOKENS.length })
    // the archive (root, page, heads page, one block per transaction) and five version blocks
    expect(copy.result?.blocks).toBeGreaterThanOrEqual(2 + requestsCount() + 5)
    expect(copy.result?.transactions).toMatchObject({ total: requestsCount(), applied: requestsCount() })
    for (const id of TOKENS) {
      const path = `/metadata/1/${COLLECTION.token_address}/${id}`
      const [fromA, fromB] = await Promise.all([a, b].map(async n => await (await fetch(`${n.url}${path}`)).text()))
      expect(fromB).toBe(fromA)
    }
    const info = (await rpc<NodeInfo>(b, 'node_info', [])).result
    expect(info?.fluence?.connected_peers).toContain(a.peerId)
  }, 60_000)

  it('an unreachable peer is a clear RemoteCallError, and B keeps serving', async () => {
    const other = '12D3KooWHFqYqJXB7UvM5g9XyqwwtHAUdbyHDYH6UJbvSCMtvy1W'
    const answer = await rpc(b, 'peer_node_info', [other])
    expect(answer.error?.data?.name).toBe('RemoteCallError')
    expect((await rpc<{ peer_id: string }>(b, 'peer_node_info', [a.peerId])).result?.peer_id).toBe(a.peerId)
  }, 60_000)
})

/** The binding plus one transaction per token plus token 7's second version. */
const requestsCount = (): number => 1 + TOKENS.length + 1
