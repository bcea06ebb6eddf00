import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { caughtUp, statusOf, watcherHarness } from './helpers.js'
import type { WatcherHarness } from './helpers.js'

describe('chain watcher: reorgs on anvil (snapshot, revert, another branch mined)', () => {
  let anvil: Anvil
  let h: WatcherHarness
  let alice: string
  let bob: string
  let nft: TestContract
  let address: string
  const chainId = 31337
  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    h = watcherHarness()
    alice = (await (await anvil.signer(0)).getAddress()).toLowerCase()
    bob = (await (await anvil.signer(1)).getAddress()).toLowerCase()
    await h.chain.setEndpoint({ chain_id: chainId, http_url: anvil.url, confirmations: 2, poll_interval_ms: 50 })
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
    h.chain.watch({ chain_id: chainId, address })
  }, 60_000)
  afterAll(async () => {
    await h?.close()
    await anvil?.stop()
  })

  it('a confirmed mint that a reorg removes is undone, and the other branch\'s mint applied', async () => {
    await anvil.mined(nft.mint(alice, 1n))
    await anvil.mine(2)
    await caughtUp(h.chain, address, await anvil.blockNumber() - 2)
    const snap = await anvil.snapshot()
    const forkBlock = await anvil.blockNumber()

    await anvil.mined(nft.mint(alice, 2n))
    await anvil.mined(nft.transferFrom(alice, bob, 1n))
    await anvil.mine(3)
    await caughtUp(h.chain, address, await anvil.blockNumber() - 2)
    expect(h.chain.token(chainId, address, '2')).toMatchObject({ minted: true, owner: alice })
    expect(h.chain.ownerOf(chainId, address, '1')).toBe(bob)

    // The other branch: from the fork, token 3 instead of 2, token 1 stays with alice, and longer.
    await anvil.revert(snap)
    expect(await anvil.blockNumber()).toBe(forkBlock)
    const other = await anvil.mined(nft.mint(bob, 3n))
    await anvil.mine(7)
    await caughtUp(h.chain, address, await anvil.blockNumber() - 2)

    expect(statusOf(h.chain, address)).toMatchObject({ reorgs: 1, events: 2, tokens: 2, last_error: null })
    expect(h.chain.token(chainId, address, '2')).toMatchObject({ minted: false, burned: false, owner: null, mint_block: null })
    expect(h.chain.ownerOf(chainId, address, '1')).toBe(alice)
    expect(h.chain.token(chainId, address, '3')).toMatchObject({ minted: true, owner: bob, mint_block: other.blockNumber, mint_tx: other.hash })
  })

  it('a mint reorged away before its confirmations never takes effect', async () => {
    const reorgsBefore = statusOf(h.chain, address).reorgs
    const snap = await anvil.snapshot()
    const minted = await anvil.mined(nft.mint(alice, 4n))
    await anvil.mine(1)
    // The watch has seen the head with the mint 1 block deep; it is not applied.
    await expect.poll(() => statusOf(h.chain, address).head, { timeout: 10_000, interval: 20 }).toBe(minted.blockNumber + 1)
    expect(h.chain.isMinted(chainId, address, '4')).toBe(false)
    await anvil.revert(snap)
    await anvil.mine(6)
    await caughtUp(h.chain, address, await anvil.blockNumber() - 2)
    expect(h.chain.isMinted(chainId, address, '4')).toBe(false)
    expect(statusOf(h.chain, address)).toMatchObject({ reorgs: reorgsBefore, events: 2 })
  })

  it('a reorg deeper than the kept checkpoints re-reads the collection from its start block', async () => {
    // One block a range, so each block is a checkpoint and 128 of them cover only 128 blocks.
    const deep = watcherHarness({ initialBlockSpan: 1, maxBlockSpan: 1 })
    try {
      await deep.chain.setEndpoint({ chain_id: chainId, http_url: anvil.url, confirmations: 2, poll_interval_ms: 50 })
      const { contract, address: deepNft, block: deployed } = await deploy('TestNft', await anvil.signer(0))
      await anvil.mined(contract.mint(alice, 1n))
      deep.chain.watch({ chain_id: chainId, address: deepNft })
      const snap = await anvil.snapshot()
      await anvil.mined(contract.mint(alice, 2n))
      await anvil.mine(150)
      await caughtUp(deep.chain, deepNft, await anvil.blockNumber() - 2, 60_000)
      expect(deep.chain.isMinted(chainId, deepNft, '2')).toBe(true)

      await anvil.revert(snap)
      const other = await anvil.mined(contract.mint(bob, 3n))
      await anvil.mine(160)
      await caughtUp(deep.chain, deepNft, await anvil.blockNumber() - 2, 60_000)
      expect(statusOf(deep.chain, deepNft)).toMatchObject({ reorgs: 1, start_block: deployed, events: 2, tokens: 2 })
      expect(deep.chain.isMinted(chainId, deepNft, '2')).toBe(false)
      expect(deep.chain.token(chainId, deepNft, '1')).toMatchObject({ minted: true, owner: alice })
      expect(deep.chain.token(chainId, deepNft, '3')).toMatchObject({ minted: true, owner: bob, mint_block: other.blockNumber })
    } finally {
      await deep.close()
    }
  })
})
