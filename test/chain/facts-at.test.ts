import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { caughtUp, statusOf, watcherHarness } from './helpers.js'
import type { WatcherHarness } from './helpers.js'

/**
 * A token's facts as of a fixed block, from the owner index's event history: the building block
 * of a holder write judged at a block both nodes agree on. Two watchers on one anvil, one lagging
 * (4 confirmations against 1): at a block both have applied they answer alike; the lagging one
 * answers `behind` until it has applied it, never an older owner.
 */
describe('chain watcher: token facts at a given block', () => {
  const chainId = 31337
  let anvil: Anvil
  let fast: WatcherHarness
  let slow: WatcherHarness
  let nft: TestContract
  let address: string
  let alice: string
  let bob: string
  const blocks: Record<string, number> = {}

  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    ;[fast, slow] = [watcherHarness(), watcherHarness()]
    alice = (await (await anvil.signer(0)).getAddress()).toLowerCase()
    bob = (await (await anvil.signer(1)).getAddress()).toLowerCase()
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
    await fast.chain.setEndpoint({ chain_id: chainId, http_url: anvil.url, confirmations: 1, poll_interval_ms: 50 })
    await slow.chain.setEndpoint({ chain_id: chainId, http_url: anvil.url, confirmations: 4, poll_interval_ms: 50 })
    for (const h of [fast, slow]) h.chain.watch({ chain_id: chainId, address })
    blocks.mint = (await anvil.mined(nft.mint(alice, 1n))).blockNumber
    blocks.transfer = (await anvil.mined(nft.transferFrom(alice, bob, 1n))).blockNumber
    blocks.burn = (await anvil.mined(nft.connect(await anvil.signer(1)).getFunction('burn')(1n))).blockNumber
    await anvil.mine(1)
  }, 60_000)
  afterAll(async () => {
    await fast?.close()
    await slow?.close()
    await anvil?.stop()
  })

  const at = (h: WatcherHarness, id: string, block: number): unknown => h.chain.tokenFactsAt(String(chainId), address, id, block)

  it('answers the owner of each block from the events up to it', async () => {
    await caughtUp(fast.chain, address, blocks.burn ?? 0)
    const { mint = 0, transfer = 0, burn = 0 } = blocks
    expect(at(fast, '1', mint - 1)).toEqual({ token_state: 'unminted', token_owner: '' })
    expect(at(fast, '1', mint)).toEqual({ token_state: 'minted', token_owner: alice })
    expect(at(fast, '1', transfer - 1)).toEqual({ token_state: 'minted', token_owner: alice })
    expect(at(fast, '1', transfer)).toEqual({ token_state: 'minted', token_owner: bob })
    expect(at(fast, '1', burn)).toEqual({ token_state: 'burned', token_owner: '' })
    expect(at(fast, '2', burn)).toEqual({ token_state: 'unminted', token_owner: '' })
    // A block this watcher has not applied yet: it must wait, not judge.
    const last = statusOf(fast.chain, address).last_block ?? 0
    expect(at(fast, '1', last + 1)).toEqual({ token_state: 'behind', token_owner: '', last_block: last })
    expect(fast.chain.tokenFactsAt(String(chainId), '0x00000000000000000000000000000000000000aa', '1', mint)).toEqual({ token_state: 'unwatched', token_owner: '' })
  })

  it('a lagging node answers behind for the transfer\'s block, then what the other answered; never the former holder', async () => {
    const { transfer = 0 } = blocks
    // The slow watcher (4 confirmations) has applied the mint's block, not the transfer's.
    await anvil.mine(1)
    await caughtUp(slow.chain, address, blocks.mint ?? 0)
    expect(statusOf(slow.chain, address).last_block).toBe(transfer - 1)
    expect(at(slow, '1', transfer)).toMatchObject({ token_state: 'behind' })
    // Its own current facts still say alice: judging "now" would differ from the fast node, judging at the block cannot.
    expect(slow.chain.tokenFacts(String(chainId), address, '1')).toEqual({ token_state: 'minted', token_owner: alice })
    await anvil.mine(3)
    await caughtUp(slow.chain, address, transfer)
    expect(at(slow, '1', transfer)).toEqual(at(fast, '1', transfer))
    expect(at(slow, '1', transfer)).toEqual({ token_state: 'minted', token_owner: bob })
  })

  it('a reorg that removes a transfer changes the answer for its block on every node alike', async () => {
    blocks.mint3 = (await anvil.mined(nft.mint(alice, 3n))).blockNumber
    const snap = await anvil.snapshot()
    const moved = (await anvil.mined(nft.transferFrom(alice, bob, 3n))).blockNumber
    await anvil.mine(5)
    for (const h of [fast, slow]) await caughtUp(h.chain, address, moved)
    for (const h of [fast, slow]) expect(at(h, '3', moved)).toEqual({ token_state: 'minted', token_owner: bob })
    await anvil.revert(snap)
    await anvil.mine(10)
    for (const h of [fast, slow]) await caughtUp(h.chain, address, await anvil.blockNumber() - 4)
    for (const h of [fast, slow]) expect(at(h, '3', moved)).toEqual({ token_state: 'minted', token_owner: alice })
  })
})
