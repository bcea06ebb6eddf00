import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DocumentCache } from '../../src-main/api/gateway/document-cache.js'
import type { RecordedMetadataUpdate } from '../../src-main/chain/index.js'
import { createChainWriter } from '../../src-main/chain-write/index.js'
import type { ChainWriter } from '../../src-main/chain-write/index.js'
import { createKeystore } from '../../src-main/lineage/keys/index.js'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { testLog } from '../helpers/logger.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { tempDir } from '../helpers/temp-dir.js'
import { caughtUp, statusOf, watcherHarness } from './helpers.js'
import type { WatcherHarness } from './helpers.js'

const MAX_ID = (2n ** 256n - 1n).toString()

/**
 * EIP-4906 announcements emitted by a watched collection from an account that is not the node's
 * (a wallet, a script): read with the transfers, recorded only once confirmed, undone by a reorg,
 * and told to listeners (the gateway drops its held documents of those tokens).
 */
describe('chain watcher: EIP-4906 metadata updates from any sender', () => {
  const chainId = 31337
  let anvil: Anvil
  let h: WatcherHarness
  let writer: ChainWriter
  let nft: TestContract
  let stranger: TestContract
  let address: string
  let alice: string
  const heard: RecordedMetadataUpdate[] = []
  const keys = tempDir()

  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    h = watcherHarness()
    alice = (await (await anvil.signer(0)).getAddress()).toLowerCase()
    ;({ contract: nft, address } = await deploy('AnnouncingNft', await anvil.signer(0)))
    // Account 5 is nobody this node knows: it deployed nothing and no key of the node is it.
    stranger = nft.connect(await anvil.signer(5)) as TestContract
    await h.chain.setEndpoint({ chain_id: chainId, http_url: anvil.url, confirmations: 2, poll_interval_ms: 50 })
    h.chain.watch({ chain_id: chainId, address })
    h.chain.onMetadataUpdate(updates => { heard.push(...updates) })
    writer = createChainWriter({ db: h.store.db, chain: h.chain, keystore: createKeystore({ log: testLog }, { dataDir: keys.dir }), log: testLog })
  }, 60_000)
  afterAll(async () => {
    await h?.close()
    await anvil?.stop()
    keys.cleanup()
  })

  it('records a MetadataUpdate and a BatchMetadataUpdate sent by a stranger, once confirmed, with the tokens they name', async () => {
    await anvil.mined(nft.mint(alice, 7n))
    const one = await anvil.mined(stranger.announce(7n))
    const batch = await anvil.mined(stranger.announceBatch(10n, 20n))
    await anvil.mine(1)
    // The batch is one block short of the 2 confirmations: not read yet (the single one, a block older, is).
    await caughtUp(h.chain, address, batch.blockNumber - 1)
    expect(statusOf(h.chain, address).head).toBe(batch.blockNumber + 1)
    expect(h.chain.token(chainId, address, '15').metadata_update).toBeNull()
    expect(writer.metadataUpdates(chainId, address).map(u => u.tx_hash)).toEqual([one.hash])

    await anvil.mine(1)
    await caughtUp(h.chain, address, batch.blockNumber)
    expect(h.chain.token(chainId, address, '7')).toMatchObject({ minted: true, owner: alice, metadata_update: { block_number: one.blockNumber, tx_hash: one.hash } })
    for (const id of ['10', '15', '20']) expect(h.chain.token(chainId, address, id).metadata_update).toEqual({ block_number: batch.blockNumber, tx_hash: batch.hash })
    // Decimal text compared as numbers: 9, 21, 100 and 2 are outside 10–20 though "100" and "2" sort inside it as text.
    for (const id of ['9', '21', '100', '2']) expect(h.chain.token(chainId, address, id).metadata_update).toBeNull()
    expect(writer.metadataUpdates(chainId, address)).toMatchObject([
      { tx_hash: batch.hash, block_number: batch.blockNumber, token_from: '10', token_to: '20' },
      { tx_hash: one.hash, block_number: one.blockNumber, token_from: '7', token_to: null },
    ])
    expect(heard.map(u => [u.token_from, u.token_to, u.block_number])).toEqual([['7', null, one.blockNumber], ['10', '20', batch.blockNumber]])
    // Transfers are still indexed alongside: the mint counted as the only event.
    expect(statusOf(h.chain, address)).toMatchObject({ events: 1, tokens: 1, last_error: null })
  })

  it('a reorg that removes an announcement removes its record; the new branch\'s own is recorded', async () => {
    const snap = await anvil.snapshot()
    const gone = await anvil.mined(stranger.announce(30n))
    await anvil.mine(3)
    await caughtUp(h.chain, address, gone.blockNumber)
    expect(h.chain.token(chainId, address, '30').metadata_update).toEqual({ block_number: gone.blockNumber, tx_hash: gone.hash })

    await anvil.revert(snap)
    const other = await anvil.mined(stranger.announce(31n))
    await anvil.mine(7)
    await caughtUp(h.chain, address, await anvil.blockNumber() - 2)
    expect(statusOf(h.chain, address).reorgs).toBe(1)
    expect(h.chain.token(chainId, address, '30').metadata_update).toBeNull()
    expect(h.chain.token(chainId, address, '31').metadata_update).toEqual({ block_number: other.blockNumber, tx_hash: other.hash })
    expect(writer.metadataUpdates(chainId, address).map(u => u.tx_hash)).not.toContain(gone.hash)
    // What was before the fork stays.
    expect(h.chain.token(chainId, address, '7').metadata_update).not.toBeNull()
  })

  it('a batch of every id (0 to 2^256 − 1) is one record; any token finds it, and the held documents are scanned, not the range', async () => {
    const before = writer.metadataUpdates(chainId, address).length
    const all = await anvil.mined(stranger.announceBatch(0n, 2n ** 256n - 1n))
    const backwards = await anvil.mined(stranger.announceBatch(5n, 4n))
    await anvil.mine(2)
    await caughtUp(h.chain, address, backwards.blockNumber)
    const listed = writer.metadataUpdates(chainId, address)
    // The backwards range names no token: skipped.
    expect(listed.length).toBe(before + 1)
    expect(listed[0]).toMatchObject({ tx_hash: all.hash, token_from: '0', token_to: MAX_ID })
    for (const id of ['0', '31', '123456789012345678901234567890', MAX_ID]) {
      expect(h.chain.token(chainId, address, id).metadata_update).toEqual({ block_number: all.blockNumber, tx_hash: all.hash })
    }
    expect(heard.at(-1)).toMatchObject({ token_from: '0', token_to: MAX_ID })

    // The gateway's held documents: a range over every id drops what is held of that collection only.
    const cache = new DocumentCache(100)
    const doc = (tokenKey: string, id: string): void => { cache.set(id, { found: true, tokenKey, dataKey: `${tokenKey}-${id}`, etag: '"e"', json: '{}' }) }
    for (const id of ['1', '2', MAX_ID]) doc('collection', id)
    doc('other', '1')
    expect(cache.dropRange('collection', 2n, 2n ** 256n - 1n)).toBe(2)
    expect([cache.has('collection', '1'), cache.has('collection', '2'), cache.has('collection', MAX_ID), cache.has('other', '1')]).toEqual([true, false, false, true])
    expect(cache.dropId('collection', '1')).toBe(true)
    expect(cache.dropId('collection', '1')).toBe(false)
    expect(cache.size).toBe(1)
  })
})
