import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { ANVIL_KEYS, startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { startInProcessNode as startNode } from '../helpers/in-process-node.js'
import type { InProcessNode as Node } from '../helpers/in-process-node.js'
import { waitFor } from '../helpers/wait-for.js'
import { caughtUp } from '../chain/helpers.js'
import { mintStampWasm } from '../chain/engine-harness.js'

/** anvil's default account 1 (its well-known test key): it holds token 1. */
const HOLDER_KEY = ANVIL_KEYS[1]


async function deployContract (n: Node, id: string, wasm: Uint8Array): Promise<void> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(n.dir.dir) ?? ''}` }
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'deploy_meta_contract', params: [id, Buffer.from(wasm).toString('base64')] })
  const { json } = await postRpc(`${n.node.status().apiUrl ?? ''}/rpc`, body, headers)
  expect(json).toMatchObject({ result: { meta_contract_id: id } })
}

/** Every slot the node holds, with its head: what replicas must agree on. */
const slots = (n: Node, tokenKey: string): unknown[] =>
  n.node.store.db.prepare('SELECT data_key, meta_contract_id, public_key, alias, version, head_cid FROM slots WHERE token_key = ? ORDER BY data_key, public_key, alias, version').all(tokenKey)

describe('replicas and the chain: each node derives chain facts and on_mint writes from its own endpoint; one without fails closed', () => {
  let anvil: Anvil
  let a: Node
  let b: Node
  let c: Node
  let chainId: string
  let holdersNft: string
  let stampNft: string
  let stamp: TestContract
  const creator = evmSigner()
  const holder = evmSigner(HOLDER_KEY)
  const sign = async (signer: TestSigner, token: string, contractId: string, tokenId: string, alias: string, data: unknown, method: 'metadata' | 'contract' = 'metadata') =>
    await signer.sign({ method, chain_id: chainId, token_address: token, token_id: method === 'contract' ? '' : tokenId, meta_contract_id: contractId, alias, version: method === 'contract' ? '' : 'v1', data: JSON.stringify(data), mcdata: '' })

  beforeAll(async () => {
    anvil = await startAnvil()
    chainId = String(anvil.chainId)
    const wasm = await mintStampWasm()
    ;[a, b, c] = await Promise.all([startNode(), startNode(), startNode()])
    const deployer = await anvil.signer(0)
    const first = await deploy('TestNft', deployer)
    const second = await deploy('TestNft', deployer)
    holdersNft = first.address
    stampNft = second.address
    stamp = second.contract
    await anvil.mined(await first.contract.mint(holder.publicKey, 1n))
    for (const n of [a, b, c]) await deployContract(n, 'mint-stamp', wasm)
    // A and B watch both collections, each from its own endpoint setting; C has no endpoint.
    for (const n of [a, b]) {
      await n.node.chain.setEndpoint({ chain_id: anvil.chainId, http_url: anvil.url, confirmations: 1, poll_interval_ms: 50 })
      n.node.chain.watch({ chain_id: anvil.chainId, address: holdersNft })
      n.node.chain.watch({ chain_id: anvil.chainId, address: stampNft })
    }
    await anvil.mine(1)
    const safe = await anvil.blockNumber() - 1
    for (const n of [a, b]) await caughtUp(n.node.chain, holdersNft, safe)
  }, 120_000)
  afterAll(async () => {
    for (const n of [a, b, c]) {
      await n?.node.stop()
      n?.dir.cleanup()
    }
    await anvil?.stop()
  })

  it('holder writes: A and B (watching) apply them alike; C (no endpoint) refuses them; on_mint writes the same block on A and B and nothing on C', async () => {
    const requests = [
      await sign(creator, holdersNft, 'holders', '', '', {}, 'contract'),
      await sign(creator, holdersNft, 'holders', '1', '_holders', { fields: ['description'] }),
      await sign(holder, holdersNft, 'holders', '1', 'description', 'held by me'),
      await sign(creator, stampNft, 'mint-stamp', '', '', {}, 'contract'),
    ]
    const hashes = a.node.lineage.publishBatch(requests).map(r => r.hash ?? '')
    await a.node.lineage.settled()
    expect(hashes.map(h => a.node.lineage.receipt(h)?.status)).toEqual(['applied', 'applied', 'applied', 'applied'])

    const address = a.node.status().listenAddresses.find(x => !x.includes('/ws')) ?? ''
    for (const n of [b, c]) {
      n.node.replication.follow(chainId, holdersNft)
      n.node.replication.follow(chainId, stampNft)
      await n.node.replication.connect(address)
    }
    for (const n of [b, c]) {
      await waitFor('the replica to hold all four transactions', () => hashes.every(h => n.node.lineage.receipt(h) !== undefined))
      await n.node.lineage.settled()
    }
    // B reads the same chain: the same decisions and the same slots.
    expect(hashes.map(h => b.node.lineage.receipt(h)?.status)).toEqual(['applied', 'applied', 'applied', 'applied'])
    const holdersKey = a.node.lineage.tokenKey(chainId, holdersNft)
    expect(slots(b, holdersKey)).toEqual(slots(a, holdersKey))
    // C cannot tell who holds token 1: the holder's write is refused there (fail closed).
    expect(c.node.lineage.receipt(hashes[2] ?? '')).toMatchObject({ status: 'rejected', reason: `this node does not watch the collection on chain ${chainId}, so it cannot tell who holds token 1; refused` })

    // A mint on the on_mint collection: A and B each derive the write from their own endpoint.
    await anvil.mined(await stamp.mint(holder.publicKey, 7n))
    await anvil.mine(1)
    const safe = await anvil.blockNumber() - 1
    await Promise.all([caughtUp(a.node.chain, stampNft, safe), caughtUp(b.node.chain, stampNft, safe)])
    const stampKey = a.node.lineage.tokenKey(chainId, stampNft)
    const written = slots(a, stampKey)
    expect(written).toEqual([expect.objectContaining({ alias: 'minted', public_key: creator.publicKey.toLowerCase(), head_cid: expect.stringMatching(/^bafy/) })])
    expect(slots(b, stampKey)).toEqual(written)
    expect(slots(c, stampKey)).toEqual([])
  }, 120_000)
})
