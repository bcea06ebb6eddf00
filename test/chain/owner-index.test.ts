import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { createCronReads } from '../../src-main/chain/index.js'
import { deploy } from '../helpers/solidity.js'
import { caughtUp, statusOf, watcherHarness } from './helpers.js'
import type { WatcherHarness } from './helpers.js'

describe('chain watcher against anvil: the owner index', () => {
  let anvil: Anvil
  let h: WatcherHarness
  let alice: string
  let bob: string
  beforeAll(async () => {
    anvil = await startAnvil({ gasLimit: 1_000_000_000n })
    h = watcherHarness()
    alice = (await (await anvil.signer(0)).getAddress()).toLowerCase()
    bob = (await (await anvil.signer(1)).getAddress()).toLowerCase()
    await h.chain.setEndpoint({ chain_id: anvil.chainId, http_url: anvil.url, confirmations: 0, poll_interval_ms: 50 })
  }, 60_000)
  afterAll(async () => {
    await h?.close()
    await anvil?.stop()
  })

  it('ERC-721: finds the deployment block, then follows mint, transfer and burn', async () => {
    await anvil.mine(5)
    const signer = await anvil.signer(0)
    const { contract, address, block } = await deploy('TestNft', signer)
    h.chain.watch({ chain_id: anvil.chainId, address })
    await anvil.mined(await contract.mint(alice, 1n))
    const mint2 = await anvil.mined(await contract.mint(alice, 2n))
    await anvil.mined(await contract.transferFrom(alice, bob, 1n))
    await anvil.mined(await contract.burn(2n))
    await caughtUp(h.chain, address, await anvil.blockNumber())

    expect(statusOf(h.chain, address)).toMatchObject({ start_block: block, state: 'following', events: 4, tokens: 2, last_error: null, failures: 0 })
    expect(h.chain.token(anvil.chainId, address, '1')).toEqual({
      chain_id: anvil.chainId, address, token_id: '1', minted: true, burned: false, owner: bob, balances: [{ holder: bob, amount: '1' }],
      supply: '1', mint_block: block + 1, mint_tx: expect.stringMatching(/^0x[0-9a-f]{64}$/), burn_block: null, metadata_update: null,
    })
    expect(h.chain.token(anvil.chainId, address, '2')).toMatchObject({ minted: false, burned: true, owner: null, mint_tx: mint2.hash, burn_block: block + 4 })
    expect(h.chain.token(anvil.chainId, address, '3')).toMatchObject({ minted: false, burned: false, owner: null, mint_block: null })
    expect(h.chain.isMinted(anvil.chainId, address, '1')).toBe(true)
    expect(h.chain.ownerOf(anvil.chainId, address, '1')).toBe(bob)
  })

  it('ERC-1155: single and batch mints, transfers and burns give balances per holder', async () => {
    const signer = await anvil.signer(0)
    const { contract, address } = await deploy('TestMulti', signer)
    h.chain.watch({ chain_id: anvil.chainId, address, token_type: 'erc1155' })
    await anvil.mined(await contract.mint(alice, 7n, 10n))
    await anvil.mined(await contract.mintBatch(alice, [8n, 9n], [5n, 1n]))
    await anvil.mined(await contract.safeTransferFrom(alice, bob, 7n, 4n, '0x'))
    await anvil.mined(await contract.burn(alice, 9n, 1n))
    await caughtUp(h.chain, address, await anvil.blockNumber())

    expect(h.chain.token(anvil.chainId, address, '7')).toMatchObject({ minted: true, supply: '10', owner: null, balances: [{ holder: alice, amount: '6' }, { holder: bob, amount: '4' }].sort((a, b) => a.holder.localeCompare(b.holder)) })
    expect(h.chain.token(anvil.chainId, address, '8')).toMatchObject({ minted: true, supply: '5', balances: [{ holder: alice, amount: '5' }] })
    expect(h.chain.token(anvil.chainId, address, '9')).toMatchObject({ minted: false, burned: true, supply: '0', balances: [] })
    expect(statusOf(h.chain, address).events).toBe(5)
  })

  it('many mints in one block: 3,000 from one transaction, and 40 transactions mined together', async () => {
    const signer = await anvil.signer(0)
    const { contract, address } = await deploy('TestNft', signer)
    h.chain.watch({ chain_id: anvil.chainId, address })
    const many = await anvil.mined(contract.mintMany(alice, 1000n, 3000n, { gasLimit: 900_000_000n }))
    expect(many.status).toBe(1)
    await anvil.automine(false)
    const sent = []
    for (let i = 0; i < 40; i++) sent.push(await contract.mint(bob, BigInt(5000 + i)))
    await anvil.mine(1)
    await anvil.automine(true)
    const receipts = await Promise.all(sent.map(async tx => await anvil.mined(tx)))
    expect(new Set(receipts.map(r => r.blockNumber)).size).toBe(1)
    await caughtUp(h.chain, address, await anvil.blockNumber())

    expect(statusOf(h.chain, address)).toMatchObject({ events: 3040, tokens: 3040 })
    expect(h.chain.token(anvil.chainId, address, '3999')).toMatchObject({ minted: true, owner: alice, mint_block: many.blockNumber, mint_tx: many.hash })
    expect(h.chain.token(anvil.chainId, address, '5039')).toMatchObject({ minted: true, owner: bob, mint_block: receipts[0]!.blockNumber })
  })

  it('only confirmed events take effect', async () => {
    await h.chain.setEndpoint({ chain_id: anvil.chainId, http_url: anvil.url, confirmations: 3 })
    const signer = await anvil.signer(0)
    const { contract, address } = await deploy('TestNft', signer)
    h.chain.watch({ chain_id: anvil.chainId, address })
    await anvil.mined(await contract.mint(alice, 1n))
    const minted = await anvil.blockNumber()
    await anvil.mine(2)
    await caughtUp(h.chain, address, minted - 1)
    // The watch has seen head minted + 2 and is following: the mint has 2 confirmations, not 3.
    await expect.poll(() => statusOf(h.chain, address), { timeout: 10_000, interval: 20 }).toMatchObject({ head: minted + 2, safe_block: minted - 1, state: 'following' })
    expect(statusOf(h.chain, address).last_block).toBe(minted - 1)
    expect(h.chain.isMinted(anvil.chainId, address, '1')).toBe(false)
    await anvil.mine(1)
    await caughtUp(h.chain, address, minted)
    expect(h.chain.token(anvil.chainId, address, '1')).toMatchObject({ minted: true, owner: alice, mint_block: minted })
  })

  it('a WebSocket-only endpoint: the watch reads and follows over WebSocket', async () => {
    await h.chain.setEndpoint({ chain_id: anvil.chainId, ws_url: anvil.wsUrl, confirmations: 0, poll_interval_ms: 50 })
    const { contract, address } = await deploy('TestNft', await anvil.signer(0))
    await anvil.mined(contract.mint(alice, 1n))
    h.chain.watch({ chain_id: anvil.chainId, address })
    await caughtUp(h.chain, address, await anvil.blockNumber())
    const later = await anvil.mined(contract.mint(bob, 2n))
    await caughtUp(h.chain, address, later.blockNumber)
    expect(h.chain.token(anvil.chainId, address, '2')).toMatchObject({ minted: true, owner: bob, mint_block: later.blockNumber })
    expect(statusOf(h.chain, address)).toMatchObject({ events: 2, failures: 0 })
  })

  it('a stopped watch applies nothing; started again, it resumes from its checkpoint', async () => {
    await h.chain.setEndpoint({ chain_id: anvil.chainId, http_url: anvil.url, confirmations: 0, poll_interval_ms: 50 })
    const { contract, address } = await deploy('TestNft', await anvil.signer(0))
    h.chain.watch({ chain_id: anvil.chainId, address })
    await caughtUp(h.chain, address, await anvil.blockNumber())
    const stopped = h.chain.setActive(anvil.chainId, address, false)
    expect(stopped).toMatchObject({ active: false, state: 'stopped' })
    const minted = await anvil.mined(contract.mint(alice, 9n))
    await anvil.mine(2)
    expect(statusOf(h.chain, address)).toMatchObject({ last_block: stopped.last_block, events: 0, state: 'stopped' })
    expect(h.chain.isMinted(anvil.chainId, address, '9')).toBe(false)
    expect(h.chain.setActive(anvil.chainId, address, true)).toMatchObject({ active: true, last_block: stopped.last_block })
    await caughtUp(h.chain, address, minted.blockNumber + 2)
    expect(h.chain.token(anvil.chainId, address, '9')).toMatchObject({ minted: true, owner: alice, mint_block: minted.blockNumber })
    expect(statusOf(h.chain, address).events).toBe(1)
  })

  it('the cron reads page through every watch\'s mints, each once, in pages of at most 1,000', () => {
    const cron = createCronReads(h.store.db)
    const { n } = h.store.db.prepare("SELECT count(*) AS n FROM chain_events WHERE kind = 'mint'").get() as { n: number }
    expect(n).toBeGreaterThan(3000)
    const seen: string[] = []
    for (let from = 0; ; from += 700) {
      const page = cron.cronTxs({}, from, 700)
      seen.push(...page.map(t => t.hash))
      if (page.length < 700) break
    }
    expect(seen).toHaveLength(n)
    expect(new Set(seen).size).toBe(n)
    expect(cron.cronTxs({}, 0, 5000)).toHaveLength(1000)
    expect(cron.crons(false).length).toBe(h.chain.status().length)
  })
})
