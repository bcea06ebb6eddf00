import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANVIL_KEYS, startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { evmSigner } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { startInProcessNode as startNode } from '../helpers/in-process-node.js'
import type { InProcessNode as Node } from '../helpers/in-process-node.js'
import { waitFor } from '../helpers/wait-for.js'
import { caughtUp, statusOf } from '../chain/helpers.js'

/** anvil's default account 1 (its well-known test key): it holds token 1 until the transfer. */
const HOLDER_KEY = ANVIL_KEYS[1]


const slots = (n: Node, tokenKey: string): unknown[] =>
  n.node.store.db.prepare('SELECT data_key, public_key, alias, head_cid FROM slots WHERE token_key = ? ORDER BY data_key, public_key, alias').all(tokenKey)

/**
 * A holder's write that names its judging block (`chain_block` in its signed mcdata) is decided
 * alike on two replicas though one confirms the chain later: the lagging node holds the write
 * back until it has applied that block, then decides as the other did. Two in-process nodes
 * replicating over libp2p, one anvil, 1 and 4 confirmations.
 */
describe('replicas judge a holder write at the block it names, however far behind one of them is', () => {
  let anvil: Anvil
  let fast: Node
  let slow: Node
  let nft: TestContract
  let address: string
  let chainId: string
  let transferBlock: number
  const creator = evmSigner()
  const holder = evmSigner(HOLDER_KEY)
  const buyer = evmSigner()
  const sign = async (signer: TestSigner, tokenId: string, alias: string, data: unknown, mcdata = '', method: 'metadata' | 'contract' = 'metadata') =>
    await signer.sign({ method, chain_id: chainId, token_address: address, token_id: method === 'contract' ? '' : tokenId, meta_contract_id: 'holders', alias, version: method === 'contract' ? '' : 'v1', data: JSON.stringify(data), mcdata })

  beforeAll(async () => {
    anvil = await startAnvil()
    chainId = String(anvil.chainId)
    ;[fast, slow] = await Promise.all([startNode(), startNode()])
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
    const minted = await anvil.mined(nft.mint(holder.publicKey, 1n))
    for (const [n, confirmations] of [[fast, 1], [slow, 4]] as const) {
      await n.node.chain.setEndpoint({ chain_id: anvil.chainId, http_url: anvil.url, confirmations, poll_interval_ms: 50 })
      n.node.chain.watch({ chain_id: anvil.chainId, address })
    }
    await anvil.mine(4)
    for (const n of [fast, slow]) await caughtUp(n.node.chain, address, minted.blockNumber)
    // The binder lets holders of token 1 write its description; the slow node replicates from the fast one.
    const setup = [await sign(creator, '', '', {}, '', 'contract'), await sign(creator, '1', '_holders', { fields: ['description'] })]
    const hashes = fast.node.lineage.publishBatch(setup).map(r => r.hash ?? '')
    await fast.node.lineage.settled()
    slow.node.replication.follow(chainId, address)
    await slow.node.replication.connect(fast.node.status().listenAddresses.find(x => !x.includes('/ws')) ?? '')
    await waitFor('the slow node to apply the setup', () => hashes.every(h => slow.node.lineage.receipt(h)?.status === 'applied'))
  }, 120_000)
  afterAll(async () => {
    for (const n of [fast, slow]) {
      await n?.node.stop()
      n?.dir.cleanup()
    }
    await anvil?.stop()
  })

  it('the new holder\'s write naming the transfer\'s block waits on the lagging node, then is applied there too; the former holder\'s is refused on both', async () => {
    transferBlock = (await anvil.mined(nft.connect(await anvil.signer(1)).getFunction('transferFrom')(holder.publicKey, buyer.publicKey, 1n))).blockNumber
    await anvil.mine(1)
    await caughtUp(fast.node.chain, address, transferBlock)
    // The slow node (4 confirmations) has not applied the transfer: judged "now", it would still name the former holder.
    expect(statusOf(slow.node.chain, address).last_block ?? 0).toBeLessThan(transferBlock)
    expect(slow.node.chain.tokenFacts(chainId, address, '1')).toEqual({ token_state: 'minted', token_owner: holder.publicKey.toLowerCase() })

    const at = JSON.stringify({ chain_block: transferBlock })
    const writes = [await sign(buyer, '1', 'description', 'the new holder\'s', at), await sign(holder, '1', 'description', 'the former holder\'s', at)]
    const hashes = fast.node.lineage.publishBatch(writes).map(r => r.hash ?? '')
    await fast.node.lineage.settled()
    expect(hashes.map(h => fast.node.lineage.receipt(h)?.status)).toEqual(['applied', 'rejected'])

    // Replicated to the slow node: stored, and waiting (no receipt), not refused.
    await waitFor('the slow node to hold both writes', () => hashes.every(h => slow.node.lineage.transaction(h) !== undefined))
    await slow.node.lineage.settled()
    expect(hashes.map(h => slow.node.lineage.receipt(h))).toEqual([undefined, undefined])

    // Once its watcher has applied the transfer's block, it decides as the fast node did.
    await anvil.mine(3)
    await caughtUp(slow.node.chain, address, transferBlock)
    await waitFor('the slow node to decide both writes', () => hashes.every(h => slow.node.lineage.receipt(h) !== undefined))
    expect(hashes.map(h => slow.node.lineage.receipt(h)?.status)).toEqual(['applied', 'rejected'])
    expect(slow.node.lineage.receipt(hashes[1] ?? '')?.reason).toBe(fast.node.lineage.receipt(hashes[1] ?? '')?.reason)
    const tokenKey = fast.node.lineage.tokenKey(chainId, address)
    expect(slots(slow, tokenKey)).toEqual(slots(fast, tokenKey))
  }, 60_000)

  it('a write that names a block far past the head is judged unknown at once (refused), not held back', async () => {
    const far = await sign(buyer, '1', 'description', 'from the future', JSON.stringify({ chain_block: await anvil.blockNumber() + 1_000 }))
    const [{ hash = '' } = {}] = fast.node.lineage.publishBatch([far])
    await fast.node.lineage.settled()
    expect(fast.node.lineage.receipt(hash)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('does not watch the collection') })
  })
})
