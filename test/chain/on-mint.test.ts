import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import { decodeVersionBlock } from '../../src-main/dag/index.js'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { evmSigner } from '../helpers/signers.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { waitFor } from '../helpers/wait-for.js'
import { caughtUp } from './helpers.js'
import { mintStampWasm, startChainEngine } from './engine-harness.js'
import type { ChainEngine } from './engine-harness.js'

const ZERO = '0x0000000000000000000000000000000000000000'

describe('on_mint: each confirmed mint calls the bound contract, and what it writes follows the chain (anvil)', () => {
  let anvil: Anvil
  let a: ChainEngine
  let b: ChainEngine
  let nft: TestContract
  let address: string
  let chainId: string
  const creator = evmSigner()
  const owner = '0x00000000000000000000000000000000000a11ce'

  const mintedSlot = (e: ChainEngine, tokenId: string) =>
    e.lineage.slots(e.lineage.dataKey(chainId, address, tokenId), 'mint-stamp').find(s => s.alias === 'minted')
  const bindTo = async (e: ChainEngine, contractId: string, token = address) => {
    const r = await e.apply([await creator.sign({ method: 'contract', chain_id: chainId, token_address: token, token_id: '', meta_contract_id: contractId, alias: '', version: '', data: '{}', mcdata: '' })])
    expect(r).toEqual([{ status: 'applied', reason: '' }])
  }

  beforeAll(async () => {
    anvil = await startAnvil()
    chainId = String(anvil.chainId)
    const wasm = await mintStampWasm()
    // Two nodes reading the same chain, each from its own endpoint setting.
    ;[a, b] = await Promise.all([startChainEngine(['open'], { 'mint-stamp': wasm }), startChainEngine(['open'], { 'mint-stamp': wasm })])
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
    for (const e of [a, b]) {
      await e.chain.setEndpoint({ chain_id: anvil.chainId, http_url: anvil.url, confirmations: 2, poll_interval_ms: 50 })
      await bindTo(e, 'mint-stamp')
      e.chain.watch({ chain_id: anvil.chainId, address })
    }
  }, 90_000)
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()])
    await anvil?.stop()
  })

  it('writes once the mint is confirmed, under the binder\'s key, with the mint block\'s time: the same version on two nodes', async () => {
    const mint = await anvil.mined(await nft.mint(owner, 1n))
    await anvil.mine(1)
    await caughtUp(a.chain, address, await anvil.blockNumber() - 2)
    // One confirmation short of 2: not applied, nothing written.
    expect(mintedSlot(a, '1')).toBeUndefined()
    await anvil.mine(1)
    const safe = await anvil.blockNumber() - 2
    await Promise.all([caughtUp(a.chain, address, safe), caughtUp(b.chain, address, safe)])

    const slot = mintedSlot(a, '1')
    expect(slot).toMatchObject({ public_key: creator.publicKey.toLowerCase(), version: '', content: { from: ZERO, to: owner, tokenId: '1', value: '1' } })
    const block = await anvil.provider.getBlock(mint.blockNumber)
    const version = decodeVersionBlock(a.blockstore.getSync(CID.parse(slot?.head_cid ?? '')) ?? new Uint8Array())
    expect(version.timestamp).toBe((block?.timestamp ?? -1) * 1000)
    expect(version.transaction).toMatchObject({ method: 'mint', meta_contract_id: 'mint-stamp', timestamp: (block?.timestamp ?? -1) * 1000 })
    // The version block's transaction is the mint's cron_tx.
    const cron = a.store.db.prepare('SELECT count(*) AS n FROM mint_writes WHERE mint_hash = ?').get(version.transaction.hash) as { n: number }
    expect(cron.n).toBe(1)
    // B derived the very same block (no wall clock in it).
    expect(mintedSlot(b, '1')?.head_cid).toBe(slot?.head_cid)
  })

  it('a reorg that removes the mint undoes what on_mint wrote; the branch\'s own mint writes instead', async () => {
    const snapshot = await anvil.snapshot()
    await anvil.mined(await nft.mint(owner, 2n))
    await anvil.mine(2)
    await caughtUp(a.chain, address, await anvil.blockNumber() - 2)
    expect(mintedSlot(a, '2')?.content).toMatchObject({ tokenId: '2' })

    await anvil.revert(snapshot)
    await anvil.mined(await nft.mint(owner, 3n))
    await anvil.mine(6)
    await caughtUp(a.chain, address, await anvil.blockNumber() - 2)
    await waitFor('the reorg to undo what on_mint wrote for token 2', () => mintedSlot(a, '2') === undefined, { timeoutMs: 4_000, intervalMs: 20 })
    expect(mintedSlot(a, '2')).toBeUndefined()
    expect(a.store.db.prepare("SELECT count(*) AS n FROM mint_writes WHERE token_id = '2'").get()).toEqual({ n: 0 })
    expect(mintedSlot(a, '3')?.content).toMatchObject({ tokenId: '3' })
    expect(a.chain.isMinted(anvil.chainId, address, '2')).toBe(false)
  })

  it('a range whose on_mint writes fail to store commits nothing: no event, no write, the checkpoint stays', async () => {
    // The range's writes, events and checkpoint are one SQLite transaction (owner-index.ts applyRange).
    const before = a.chain.status().find(s => s.address === address)?.last_block
    const db = a.store.db
    const events = (db.prepare('SELECT count(*) AS n FROM chain_events').get() as { n: number }).n
    const watchId = (db.prepare('SELECT id FROM chain_watches WHERE address = ?').get(address) as { id: number }).id
    const next = (db.prepare('SELECT next_block FROM chain_watches WHERE id = ?').get(watchId) as { next_block: number }).next_block
    const { OwnerIndex } = await import('../../src-main/chain/owner-index.js')
    const index = new OwnerIndex(db)
    const fact = { blockNumber: next, blockHash: `0x${'1'.repeat(64)}`, txHash: `0x${'2'.repeat(64)}`, logIndex: 0, batchIndex: 0, tokenId: '99', from: ZERO, to: owner, amount: '1', kind: 'mint' as const }
    expect(() => index.applyRange(watchId, next, next, `0x${'3'.repeat(64)}`, [fact], 0, { apply: () => { throw new Error('disk full') } })).toThrow('disk full')
    expect((db.prepare('SELECT count(*) AS n FROM chain_events').get() as { n: number }).n).toBe(events)
    expect((db.prepare('SELECT next_block FROM chain_watches WHERE id = ?').get(watchId) as { next_block: number }).next_block).toBe(next)
    expect(a.chain.status().find(s => s.address === address)?.last_block).toBe(before)
  })

  it('what on_mint wrote survives a convergence rewind of its token (a late signed write)', async () => {
    const dataKey = a.lineage.dataKey(chainId, address, '1')
    const head = mintedSlot(a, '1')?.head_cid
    const sign = async (name: string, timestamp: number) => await creator.sign({ method: 'metadata', chain_id: chainId, token_address: address, token_id: '1', meta_contract_id: 'mint-stamp', alias: '', version: 'v1', data: JSON.stringify({ name }), mcdata: '', timestamp })
    const bound = a.lineage.binding(a.lineage.tokenKey(chainId, address))?.updated_at ?? 0
    const later = await sign('later', Date.now())
    const earlier = await sign('earlier', bound + 1)
    expect(await a.apply([later])).toEqual([{ status: 'applied', reason: '' }])
    // Arriving late in canonical order, as replication may deliver it: the token's slots are rebuilt.
    a.lineage.publishBatch([earlier], { replicated: true })
    await a.lineage.settled()
    expect(mintedSlot(a, '1')?.head_cid).toBe(head)
    expect(a.lineage.slots(dataKey, 'mint-stamp').find(s => s.alias === '')?.content).toEqual({ name: 'later' })
  })

  it('a contract whose on_mint writes nothing (open): a mint changes no slot', async () => {
    const { contract, address: other } = await deploy('TestNft', await anvil.signer(0))
    await bindTo(a, 'open', other)
    a.chain.watch({ chain_id: anvil.chainId, address: other })
    await anvil.mined(await contract.mint(owner, 5n))
    await anvil.mine(2)
    await caughtUp(a.chain, other, await anvil.blockNumber() - 2)
    expect(a.chain.isMinted(anvil.chainId, other, '5')).toBe(true)
    expect(a.lineage.slots(a.lineage.dataKey(chainId, other, '5'), 'open')).toEqual([])
  })

  it('a drop: 300 mints in one transaction each get their on_mint write', async () => {
    const { contract, address: drop } = await deploy('TestNft', await anvil.signer(0))
    await bindTo(a, 'mint-stamp', drop)
    a.chain.watch({ chain_id: anvil.chainId, address: drop })
    await anvil.mined(await contract.mintMany(owner, 1000n, 300n))
    await anvil.mine(2)
    await caughtUp(a.chain, drop, await anvil.blockNumber() - 2)
    const rows = a.store.db.prepare("SELECT token_id FROM slots WHERE token_key = ? AND alias = 'minted' ORDER BY CAST(token_id AS INTEGER)").all(a.lineage.tokenKey(chainId, drop)) as Array<{ token_id: string }>
    expect(rows.map(r => r.token_id)).toEqual(Array.from({ length: 300 }, (_, i) => String(1000 + i)))
  })
})
