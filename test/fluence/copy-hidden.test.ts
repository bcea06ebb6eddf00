import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NodeInfo } from '../../src-main/api/index.js'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { evmSigner } from '../helpers/signers.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { tempDir } from '../helpers/temp-dir.js'
import { rpcAnswer as rpc } from '../helpers/rpc.js'
import { waitFor } from '../helpers/wait-for.js'

interface CopyResult { transactions: { applied: number, total: number }, heads: { listed: number, current: number } }

const PLACEHOLDER = { name: 'Unrevealed' }
const secret = (id: string): string => `SECRET-${id}`

/**
 * peer_copy_collection of a collection hidden until minted, between two node processes over
 * libp2p (the Fluence particle protocol), with a real chain: a stranger's copy holds only the
 * minted tokens; a copy to one of the owner's own nodes holds every token, and that node then
 * serves the reveals itself.
 */
describe('copying a hidden collection: unminted tokens only to the owner\'s own nodes', () => {
  const chainId = 31337
  const dirs = [tempDir(), tempDir()]
  const writer = evmSigner()
  const heads = new Map<string, string>()
  let anvil: Anvil
  let a: StartedNode
  let b: StartedNode
  let aAddress: string
  let nft: TestContract
  let address: string
  let alice: string

  const doc = async (node: StartedNode, id: string): Promise<{ status: number, body: string }> => {
    const response = await fetch(`${node.url}/metadata/${chainId}/${address}/${id}`)
    return { status: response.status, body: await response.text() }
  }
  const hide = async (node: StartedNode): Promise<void> => {
    expect((await rpc(node, 'chain_set', [chainId, { http_url: anvil.url, confirmations: 1, poll_interval_ms: 50 }])).error).toBeUndefined()
    expect((await rpc(node, 'chain_watch', [chainId, address])).error).toBeUndefined()
    expect((await rpc(node, 'chain_reveal_set', [chainId, address, PLACEHOLDER])).error).toBeUndefined()
  }
  /** What the node's owner reads of a token's slots (every version's content), as JSON text. */
  const ownerReads = async (node: StartedNode, id: string): Promise<string> => {
    const dataKey = (await rpc<string>(node, 'generate_data_key', [String(chainId), address, id])).result
    const answer = await rpc(node, 'get_metadatas', [dataKey, 'v1'])
    expect(answer.error).toBeUndefined()
    return JSON.stringify(answer.result)
  }
  const mint = async (id: bigint, nodes: StartedNode[]): Promise<void> => {
    const { blockNumber } = await anvil.mined(nft.mint(alice, id))
    await anvil.mine(1)
    for (const node of nodes) {
      await waitFor(`the mint of ${id} confirmed`, async () => ((await rpc<Array<{ last_block: number | null }>>(node, 'chain_status', [])).result?.[0]?.last_block ?? -1) >= blockNumber, { intervalMs: 50 })
    }
  }

  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    const start = async (i: number): Promise<StartedNode> => await startNodeProcess([...TEST_NODE_ARGS, '--data-dir', dirs[i]?.dir ?? ''], 60_000)
    ;[a, b] = await Promise.all([start(0), start(1)])
    aAddress = (await rpc<NodeInfo>(a, 'node_info', [])).result?.p2p?.listen_addresses.find(x => !x.includes('/ws/')) ?? ''
    alice = (await (await anvil.signer(0)).getAddress()).toLowerCase()
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
    await hide(a)
    const sign = async (tokenId: string, data: object, method: 'metadata' | 'contract' = 'metadata') =>
      await writer.sign({ method, chain_id: String(chainId), token_address: address, token_id: tokenId, meta_contract_id: 'open', alias: '', version: 'v1', data: JSON.stringify(data), mcdata: '' })
    const requests = [await sign('', {}, 'contract'), ...await Promise.all(['1', '2', '3'].map(async id => await sign(id, { name: `#${id}`, description: secret(id) })))]
    for (const request of requests) {
      const { result } = await rpc<{ hash: string }>(a, 'publish', [request])
      await waitFor(`A to apply ${result?.hash ?? '?'}`, async () => (await rpc<{ status: string } | null>(a, 'get_transaction_receipt', [result?.hash])).result?.status === 'applied', { intervalMs: 100 })
      const receipt = (await rpc<{ heads: string[] }>(a, 'get_transaction_receipt', [result?.hash])).result
      if (request.token_id !== '') heads.set(request.token_id, receipt?.heads[0] ?? '')
    }
    await mint(1n, [a])
  }, 120_000)

  afterAll(async () => {
    for (const n of [a, b]) {
      n?.child.kill('SIGTERM')
      await n?.exited
    }
    for (const d of dirs) d.cleanup()
    await anvil?.stop()
  })

  it('a peer that is not the owner\'s gets the binding and the minted token only: nothing of the unminted ones', async () => {
    const copy = await rpc<CopyResult>(b, 'peer_copy_collection', [aAddress, String(chainId), address])
    expect(copy.error).toBeUndefined()
    expect(copy.result).toMatchObject({ transactions: { total: 2, applied: 2 }, heads: { listed: 1, current: 1 } })
    expect(await doc(b, '1')).toEqual(await doc(a, '1'))
    expect(JSON.parse((await doc(b, '1')).body)).toMatchObject({ description: secret('1') })
    for (const id of ['2', '3']) {
      const served = await doc(b, id)
      expect(served.status).toBe(404)
      expect(served.body).not.toContain(secret(id))
      // Not a block of their versions came: B's owner cannot read them either.
      expect((await fetch(`${b.url}/ipfs/${heads.get(id) ?? ''}?format=raw`)).status).toBe(404)
      expect(await ownerReads(b, id)).toBe('[]')
    }
  }, 60_000)

  it('only the owner names their own nodes; a value that is no peer id is refused, naming it, and nothing changes', async () => {
    expect((await rpc(a, 'chain_reveal_peers_set', [[b.peerId]], null)).error?.code).toBe(-32004)
    expect((await rpc(a, 'chain_reveal_peers', [], null)).error?.code).toBe(-32004)
    const bad = await rpc(a, 'chain_reveal_peers_set', [[b.peerId, 'not-a-peer']])
    expect(bad.error).toMatchObject({ code: -32602, data: { field: 'peer_ids' } })
    expect(bad.error?.message).toContain('position 2')
    expect((await rpc(a, 'chain_reveal_peers', [])).result).toEqual([])
    expect((await rpc(a, 'chain_reveal_peers_set', [[b.peerId, b.peerId]])).result).toEqual([b.peerId])
    expect((await rpc(a, 'chain_reveal_peers', [])).result).toEqual([b.peerId])
  })

  it('the owner\'s own node gets every token, hides them itself, and reveals each at its mint', async () => {
    // B is the creator's second node: it watches and hides the collection before holding it all.
    await hide(b)
    const copy = await rpc<CopyResult>(b, 'peer_copy_collection', [aAddress, String(chainId), address])
    expect(copy.error).toBeUndefined()
    expect(copy.result).toMatchObject({ transactions: { total: 4 }, heads: { listed: 3, current: 3 } })
    // B holds them (its owner reads them) but serves the placeholder, as A does.
    expect(await ownerReads(b, '2')).toContain(secret('2'))
    for (const node of [a, b]) expect(JSON.parse((await doc(node, '2')).body)).toEqual(PLACEHOLDER)
    expect((await fetch(`${b.url}/ipfs/${heads.get('2') ?? ''}?format=raw`)).status).toBe(404)

    await mint(2n, [a, b])
    for (const node of [a, b]) expect(JSON.parse((await doc(node, '2')).body)).toMatchObject({ description: secret('2') })
    expect(JSON.parse((await doc(b, '3')).body)).toEqual(PLACEHOLDER)
  }, 60_000)
})
