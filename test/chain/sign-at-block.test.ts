import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChainWatchStatusWire } from '../../src-main/api/index.js'
import { main } from '../../src-main/cli/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { callRpc } from '../helpers/rpc.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

/** anvil's default accounts 1 and 2 (their well-known test keys): they hold tokens. */
const HOLDER_KEY = '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const NEXT_HOLDER_KEY = '5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'
const PASSPHRASE = 'correct horse battery'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
type Answer = { result?: any, error?: { code: number, message: string } }

describe('the node\'s own signing path (sign_and_publish, as the editor publishes) names the judging block of a holder write (anvil, real node)', () => {
  const chainId = 31337
  let anvil: Anvil
  let t: TestNode
  let token: string
  let nft: TestContract
  let address: string
  let holder: string
  let nextHolder: string

  const call = async (method: string, params?: unknown): Promise<Answer> => await callRpc(`${t.base}/rpc`, method, params, token) as Answer
  /** Signs and publishes with a node key, then answers the stored transaction and its receipt. */
  async function publish (key: string, request: Record<string, unknown>): Promise<{ mcdata: string, status: string, reason: string }> {
    const answer = await call('sign_and_publish', [key, PASSPHRASE, { chain_id: String(chainId), token_address: address, ...request }])
    if (answer.error !== undefined) throw new Error(answer.error.message)
    await t.node.lineage.settled()
    const tx = (await call('get_transaction', [answer.result.hash])).result
    const receipt = (await call('get_transaction_receipt', [answer.result.hash])).result
    return { mcdata: tx.mcdata, status: receipt.status, reason: receipt.reason }
  }
  const holderWrite = async (key: string, alias: string, content: string, extra: Record<string, unknown> = {}) =>
    await publish(key, { method: 'metadata', token_id: '1', meta_contract_id: 'holders', alias, data: JSON.stringify(content), ...extra })
  /** Waits until the watch has applied the block, and answers its last applied block. */
  async function appliedUpTo (block: number): Promise<number> {
    await expect.poll(async () => ((await call('chain_status')).result as ChainWatchStatusWire[]).find(w => w.address === address.toLowerCase())?.last_block ?? -1, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(block)
    return ((await call('chain_status')).result as ChainWatchStatusWire[]).find(w => w.address === address.toLowerCase())?.last_block as number
  }

  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    t = await startTestNode({})
    token = readApiToken(t.node.config.dataDir) ?? ''
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
    expect((await call('chain_set', [chainId, { http_url: anvil.url, confirmations: 0, poll_interval_ms: 50 }])).error).toBeUndefined()
    expect((await call('chain_watch', [chainId, address])).error).toBeUndefined()
    expect((await call('keys_new', ['creator', 'secp256k1', PASSPHRASE])).error).toBeUndefined()
    holder = (await call('keys_import', ['holder', 'secp256k1', HOLDER_KEY, PASSPHRASE])).result.public_key
    nextHolder = (await call('keys_import', ['next', 'secp256k1', NEXT_HOLDER_KEY, PASSPHRASE])).result.public_key
    expect(holder).toBe((await (await anvil.signer(1)).getAddress()).toLowerCase())
    expect(await publish('creator', { method: 'contract', token_id: '', meta_contract_id: 'holders', data: '{}' })).toMatchObject({ status: 'applied' })
  }, 120_000)
  afterAll(async () => {
    await t?.stop()
    await anvil?.stop()
  })

  it('a holder\'s edit carries the newest block the watcher applied, and is applied', async () => {
    const creatorWrite = await publish('creator', { method: 'metadata', token_id: '1', meta_contract_id: 'holders', alias: '_holders', data: JSON.stringify({ fields: ['description'] }) })
    expect(creatorWrite.status).toBe('applied')
    const minted = await anvil.mined(nft.mint(holder, 1n))
    const block = await appliedUpTo(minted.blockNumber)
    expect(await holderWrite('holder', 'description', 'mine')).toEqual({ mcdata: JSON.stringify({ chain_block: block }), status: 'applied', reason: '' })
  })

  it('after a transfer, both writes name the transfer\'s block: the new holder\'s is applied, the former\'s refused', async () => {
    const before = await appliedUpTo(0)
    const moved = await anvil.mined(nft.connect(await anvil.signer(1)).getFunction('transferFrom')(holder, nextHolder, 1n))
    const block = await appliedUpTo(moved.blockNumber)
    expect(block).toBeGreaterThan(before)
    expect(await holderWrite('next', 'description', 'now mine')).toEqual({ mcdata: JSON.stringify({ chain_block: block }), status: 'applied', reason: '' })
    expect(await holderWrite('holder', 'description', 'still mine?')).toEqual({
      mcdata: JSON.stringify({ chain_block: block }), status: 'rejected', reason: `only the current holder of token 1 (${nextHolder}) or the creator may write it; ${holder} is neither`,
    })
  })

  it('never replaces a caller\'s mcdata: a write naming an earlier block is judged at that block', async () => {
    // The former holder names the mint's block, when they held the token (a limit CHAIN.md states).
    const named = JSON.stringify({ chain_block: (await call('chain_token', [chainId, address, '1'])).result.mint_block })
    expect(await holderWrite('holder', 'description', 'from then', { mcdata: named })).toEqual({ mcdata: named, status: 'applied', reason: '' })
  })

  it('a bulk edit of a holders collection names the block too (it signs through the same path)', async () => {
    const creator = (await call('keys_export_public', ['creator'])).result.public_key as string
    // The creator's own document of token 1, which the bulk edit then changes.
    expect(await publish('creator', { method: 'metadata', token_id: '1', meta_contract_id: 'holders', alias: '', data: JSON.stringify({ name: 'Token 1' }) })).toMatchObject({ status: 'applied' })
    const block = await appliedUpTo(0)
    const edit = { chain_id: String(chainId), token_address: address, selection: { token_ids: ['1'] }, operation: { op: 'set_field', field: 'name', value: 'Renamed' }, key: 'creator' }
    const started = await call('bulk_edit_apply', [edit, PASSPHRASE])
    expect(started.error).toBeUndefined()
    await expect.poll(async () => (await call('bulk_edit_status', [started.result.job])).result.state, { timeout: 20_000, interval: 50 }).toBe('done')
    const dataKey = (await call('generate_data_key', [String(chainId), address, '1'])).result as string
    const slot = (await call('get_metadata_with_history', [dataKey, 'holders', creator, '', 'v1'])).result
    expect(slot.history[0].content).toEqual({ name: 'Renamed' })
    expect((await call('get_transaction', [slot.history[0].transaction.hash])).result.mcdata).toBe(JSON.stringify({ chain_block: block }))
  })

  it('`lineage-node publish`, which signs in the CLI, asks the node for the block and names it', async () => {
    const block = await appliedUpTo(0)
    expect((await call('chain_judging_block', [String(chainId), address, 'holders'])).result).toBe(block)
    const file = path.join(t.node.config.dataDir, 'description.json')
    fs.writeFileSync(file, JSON.stringify('from the CLI'))
    const out: string[] = []
    const err: string[] = []
    process.env.LINEAGE_PASSPHRASE = PASSPHRASE
    try {
      const code = await main(['publish', '--key', 'next', '--chain', String(chainId), '--contract', address, '--token', '1', '--contract-id', 'holders', '--alias', 'description', '--data', file, '--data-dir', t.node.config.dataDir], { out: line => out.push(line), err: line => err.push(line) })
      expect({ code, err }).toEqual({ code: 0, err: [] })
    } finally {
      delete process.env.LINEAGE_PASSPHRASE
    }
    const hash = /^Published ([0-9a-f]{64})$/.exec(out[0] ?? '')?.[1]
    expect((await call('get_transaction', [hash])).result.mcdata).toBe(JSON.stringify({ chain_block: block }))
    expect((await call('get_transaction_receipt', [hash])).result.status).toBe('applied')
  })

  it('names no block for a collection this node does not watch', async () => {
    const { address: other } = await deploy('TestNft', await anvil.signer(0))
    const write = async (request: Record<string, unknown>) => await publish('creator', { ...request, token_address: other })
    expect(await write({ method: 'contract', token_id: '', meta_contract_id: 'holders', data: '{}' })).toMatchObject({ status: 'applied' })
    expect(await write({ method: 'metadata', token_id: '1', meta_contract_id: 'holders', alias: '', data: '{"name":"x"}' })).toEqual({ mcdata: '', status: 'applied', reason: '' })
    expect((await call('chain_judging_block', [String(chainId), other, 'holders'])).result).toBeNull()
    // A contract nobody deployed takes no chain facts: no block for it either.
    expect((await call('chain_judging_block', [String(chainId), address, 'no-such-contract'])).result).toBeNull()
    // An address or chain id that cannot be one is refused, naming it, not answered as "no block".
    expect((await call('chain_judging_block', [String(chainId), '0xnope', 'holders'])).error).toMatchObject({ code: -32602, data: { field: 'token_address' } })
    expect((await call('chain_judging_block', ['one', address, 'holders'])).error).toMatchObject({ code: -32602, data: { field: 'chain_id' } })
  })
})
