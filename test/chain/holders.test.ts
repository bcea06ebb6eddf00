import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANVIL_KEYS, startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { evmSigner } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { caughtUp } from './helpers.js'
import { originalOpenWasm, startChainEngine } from './engine-harness.js'
import type { ChainEngine } from './engine-harness.js'

/** anvil's default account 1 (its well-known test key): it holds tokens and sends their transfers. */
const HOLDER_KEY = ANVIL_KEYS[1]

describe('the holders contract: the current holder writes the fields the creator chose (anvil, real engine and watcher)', () => {
  let anvil: Anvil
  let e: ChainEngine
  let nft: TestContract
  let address: string
  const creator = evmSigner()
  const holder = evmSigner(HOLDER_KEY)
  const stranger = evmSigner()
  let chainId: string

  const write = async (signer: TestSigner, tokenId: string, alias: string, data: unknown, token = address) =>
    await signer.sign({ method: 'metadata', chain_id: chainId, token_address: token, token_id: tokenId, meta_contract_id: 'holders', alias, version: 'v1', data: JSON.stringify(data), mcdata: '' })
  const bind = async (token: string) =>
    await creator.sign({ method: 'contract', chain_id: chainId, token_address: token, token_id: '', meta_contract_id: 'holders', alias: '', version: '', data: '{}', mcdata: '' })
  const settle = async () => { await caughtUp(e.chain, address, await anvil.blockNumber()) }

  beforeAll(async () => {
    anvil = await startAnvil()
    chainId = String(anvil.chainId)
    expect((await (await anvil.signer(1)).getAddress()).toLowerCase()).toBe(holder.publicKey.toLowerCase())
    e = await startChainEngine(['holders'], { 'original-open': await originalOpenWasm() })
    await e.chain.setEndpoint({ chain_id: anvil.chainId, http_url: anvil.url, confirmations: 0, poll_interval_ms: 50 })
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
    e.chain.watch({ chain_id: anvil.chainId, address })
    // The creator binds the collection and lets holders write "description" and "image" of token 1 (and 2).
    expect(await e.apply([await bind(address)])).toEqual([{ status: 'applied', reason: '' }])
    expect(await e.apply([await write(creator, '1', '_holders', { fields: ['image', 'description'] }), await write(creator, '2', '_holders', { fields: ['description'] })]))
      .toEqual([{ status: 'applied', reason: '' }, { status: 'applied', reason: '' }])
  }, 60_000)
  afterAll(async () => {
    await e?.close()
    await anvil?.stop()
  })

  it('refuses every holder write to a token that is not minted yet', async () => {
    await settle()
    const [r] = await e.apply([await write(holder, '1', 'description', 'mine')])
    expect(r).toEqual({ status: 'rejected', reason: 'token 1 is not minted yet: it has no holder' })
  })

  it('once the mint is confirmed, the holder writes an allowed field and nothing else; a non-holder writes nothing', async () => {
    await anvil.mined(await nft.mint(holder.publicKey, 1n))
    await settle()
    const results = await e.apply([
      await write(holder, '1', 'description', 'My token now'),
      await write(holder, '1', 'name', 'Renamed'),
      await write(stranger, '1', 'image', 'ipfs://x'),
    ])
    expect(results[0]).toEqual({ status: 'applied', reason: '' })
    expect(results[1]).toEqual({ status: 'rejected', reason: 'the holder may write only these fields of token 1: description, image; not "name"' })
    expect(results[2]?.status).toBe('rejected')
    expect(results[2]?.reason).toBe(`only the current holder of token 1 (${holder.publicKey.toLowerCase()}) or the creator may write it; ${stranger.publicKey.toLowerCase()} is neither`)
    // The creator keeps every field.
    expect(await e.apply([await write(creator, '1', '', { name: 'Token 1' })])).toEqual([{ status: 'applied', reason: '' }])
    const dataKey = e.lineage.dataKey(chainId, address, '1')
    const slots = e.lineage.slots(dataKey, 'holders').map(s => ({ public_key: s.public_key, alias: s.alias, content: s.content }))
    expect(slots).toEqual(expect.arrayContaining([
      { public_key: holder.publicKey.toLowerCase(), alias: 'description', content: 'My token now' },
      { public_key: creator.publicKey.toLowerCase(), alias: '', content: { name: 'Token 1' } },
    ]))
    expect(slots.some(s => s.alias === 'name' || s.alias === 'image')).toBe(false)
  })

  it('after a transfer, the former holder is refused and the new holder may write', async () => {
    const newHolder = evmSigner()
    await anvil.mined(await nft.connect(await anvil.signer(1)).getFunction('transferFrom')(holder.publicKey, newHolder.publicKey, 1n))
    await settle()
    expect(e.chain.ownerOf(anvil.chainId, address, '1')).toBe(newHolder.publicKey.toLowerCase())
    const [former, current] = await e.apply([await write(holder, '1', 'description', 'still mine?'), await write(newHolder, '1', 'image', 'ipfs://new')])
    expect(former).toEqual({ status: 'rejected', reason: `only the current holder of token 1 (${newHolder.publicKey.toLowerCase()}) or the creator may write it; ${holder.publicKey.toLowerCase()} is neither` })
    expect(current).toEqual({ status: 'applied', reason: '' })
  })

  it('only the creator chooses the fields, and a burned token has no holder', async () => {
    const [r] = await e.apply([await write(holder, '1', '_holders', { fields: ['name'] })])
    expect(r).toEqual({ status: 'rejected', reason: `only the creator (${creator.publicKey.toLowerCase()}) chooses the fields holders may write` })
    await anvil.mined(await nft.mint(holder.publicKey, 2n))
    await anvil.mined(await nft.burn(2n))
    await settle()
    const [burned] = await e.apply([await write(holder, '2', 'description', 'x')])
    expect(burned).toEqual({ status: 'rejected', reason: 'token 2 is burned: it has no holder' })
  })

  it('fails closed for a collection this node does not watch: it cannot tell who holds a token', async () => {
    const { address: other } = await deploy('TestNft', await anvil.signer(0))
    expect(await e.apply([await bind(other), await write(creator, '1', '_holders', { fields: ['description'] }, other)])).toEqual([{ status: 'applied', reason: '' }, { status: 'applied', reason: '' }])
    const [r] = await e.apply([await write(holder, '1', 'description', 'x', other)])
    expect(r).toEqual({ status: 'rejected', reason: `this node does not watch the collection on chain ${chainId}, so it cannot tell who holds token 1; refused` })
  })

  it('a contract built with the original\'s 15-field Transaction is given that record, without the chain facts', async () => {
    const { address: other } = await deploy('TestNft', await anvil.signer(0))
    const sign = async (method: 'contract' | 'metadata') => await creator.sign({ method, chain_id: chainId, token_address: other, token_id: method === 'contract' ? '' : '1', meta_contract_id: 'original-open', alias: '', version: 'v1', data: '{"name":"kept"}', mcdata: '' })
    expect(await e.apply([await sign('contract'), await sign('metadata')])).toEqual([{ status: 'applied', reason: '' }, { status: 'applied', reason: '' }])
    expect(e.lineage.slots(e.lineage.dataKey(chainId, other, '1'), 'original-open').map(s => s.content)).toEqual([{ name: 'kept' }])
  })
})
