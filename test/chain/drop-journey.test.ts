import { isDeepStrictEqual } from 'node:util'
import { Interface } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { callRpc } from '../helpers/rpc.js'
import { seededRandom, TEST_SEED } from '../helpers/seeded.js'
import { evmSigner } from '../helpers/signers.js'
import { compileContracts, deploy } from '../helpers/solidity.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { caughtUp } from './helpers.js'

const TOKENS = 1_000
/** Minted in the journey; the rest stay unminted, and must stay hidden to the end. */
const MINTED = 900
const CONFIRMATIONS = 2
const PLACEHOLDER = { name: 'Mystery box', image: 'ipfs://bafkreimystery' }

/**
 * The full drop: a creator imports 1,000 tokens into a collection hidden until minted, and buyers
 * mint them in random order (seeded). Each block of mints is checked at the gateway when mined
 * (the placeholder), one block later (still the placeholder: not confirmed), and once it is under
 * the confirmation depth and applied (the real document). At the end every token is checked at
 * the gateway and at /ipfs: the minted ones real, the unminted ones still hidden.
 */
describe(`the full drop journey: 1,000 tokens hidden, minted in random order (seed ${TEST_SEED})`, () => {
  const chainId = 31337
  const creator = evmSigner()
  let anvil: Anvil
  let t: TestNode
  let token: string
  let address: string
  let from: string
  const heads = new Map<string, string>()

  const call = async (method: string, params?: unknown): Promise<{ result?: unknown, error?: unknown }> => await callRpc(`${t.base}/rpc`, method, params, token) as { result?: unknown, error?: unknown }
  const documentOf = async (id: string): Promise<unknown> => await (await fetch(`${t.base}/metadata/${chainId}/${address}/${id}`)).json()
  const real = (id: string): object => ({ name: `Drop #${id}`, attributes: [{ trait_type: 'Rarity', value: `tier-${Number(id) % 7}` }] })

  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    t = await startTestNode({})
    token = readApiToken(t.node.config.dataDir) ?? ''
    const signer = await anvil.signer(0)
    from = (await signer.getAddress()).toLowerCase()
    ;({ address } = await deploy('TestNft', signer))
    expect((await call('chain_set', [chainId, { http_url: anvil.url, confirmations: CONFIRMATIONS, poll_interval_ms: 50 }])).error).toBeUndefined()
    expect((await call('chain_watch', [chainId, address])).error).toBeUndefined()
    const sign = async (id: string, data: object, method: 'metadata' | 'contract' = 'metadata'): Promise<unknown> =>
      await creator.sign({ method, chain_id: String(chainId), token_address: address, token_id: id, meta_contract_id: 'open', alias: '', version: 'v1', data: JSON.stringify(data), mcdata: '' })
    t.node.lineage.publish(await sign('', {}, 'contract'))
    await t.node.lineage.settled()
    // Hidden before a single token is imported.
    expect((await call('chain_reveal_set', [chainId, address, PLACEHOLDER])).error).toBeUndefined()
    const ids = Array.from({ length: TOKENS }, (_, i) => String(i + 1))
    for (let i = 0; i < ids.length; i += 250) {
      const results = t.node.lineage.publishBatch(await Promise.all(ids.slice(i, i + 250).map(async id => await sign(id, real(id)))))
      await t.node.lineage.settled()
      results.forEach((r, j) => { heads.set(ids[i + j] ?? '', t.node.lineage.receipt(r.hash ?? '')?.heads[0] ?? '') })
    }
    expect([...heads.values()].filter(h => h.startsWith('bafy')).length).toBe(TOKENS)
  }, 120_000)
  afterAll(async () => {
    await t?.stop()
    await anvil?.stop()
  })

  it('each token turns from placeholder to real once its mint is under the confirmation depth; nothing unminted leaks', async () => {
    const random = seededRandom(19)
    const order = Array.from({ length: TOKENS }, (_, i) => String(i + 1))
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j] ?? '', order[i] ?? '']
    }
    const toMint = order.slice(0, MINTED)
    const abi = new Interface(compileContracts().TestNft?.abi ?? [])
    await anvil.automine(false)
    let revealed = 0
    for (let at = 0; at < toMint.length;) {
      // Blocks of 10 to 80 mints, as buyers come.
      const batch = toMint.slice(at, at + 10 + Math.floor(random() * 71))
      at += batch.length
      for (const id of batch) await anvil.provider.send('eth_sendTransaction', [{ from, to: address, data: abi.encodeFunctionData('mint', [from, BigInt(id)]) }])
      await anvil.mine(1)
      const block = await anvil.blockNumber()
      // Mined, then one block deep: not confirmed yet, still the placeholder.
      for (let depth = 0; depth < CONFIRMATIONS; depth++) {
        for (const id of batch) expect({ id, depth, document: await documentOf(id) }).toEqual({ id, depth, document: PLACEHOLDER })
        await anvil.mine(1)
      }
      // CONFIRMATIONS blocks on top: confirmed; once applied, the real document.
      await caughtUp(t.node.chain, address, block)
      for (const id of batch) expect({ id, document: await documentOf(id) }).toEqual({ id, document: real(id) })
      revealed += batch.length
    }
    expect(revealed).toBe(MINTED)

    const minted = new Set(toMint)
    const wrong: string[] = []
    for (let i = 1; i <= TOKENS; i++) {
      const id = String(i)
      const document = await documentOf(id)
      const block = await fetch(`${t.base}/ipfs/${heads.get(id) ?? ''}/content`)
      const served = block.status === 200 ? await block.json() as unknown : null
      const ok = minted.has(id)
        ? isDeepStrictEqual(document, real(id)) && isDeepStrictEqual(served, real(id))
        : isDeepStrictEqual(document, PLACEHOLDER) && block.status === 404
      if (!ok) wrong.push(id)
    }
    expect(wrong).toEqual([])
    expect((await call('chain_reveal_tokens', [chainId, address, ['1', ...order.slice(MINTED, MINTED + 2)]])).result).toEqual([
      { token_id: '1', minted: minted.has('1'), revealed: minted.has('1') },
      ...order.slice(MINTED, MINTED + 2).map(id => ({ token_id: id, minted: false, revealed: false })),
    ])
  }, 90_000)
})
