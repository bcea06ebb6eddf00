import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { ChainTxWire, ChainWriteEstimateWire } from '../../src-main/api/index.js'
import { main } from '../../src-main/cli/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { ANVIL_KEYS, startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { callRpc } from '../helpers/rpc.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

type Answer = { result?: unknown, error?: { code: number, message: string, data?: unknown } }
const OWNER_KEY = ANVIL_KEYS[0]
const STRANGER_KEY = ANVIL_KEYS[1]
const PASSPHRASE = 'correct horse battery'

describe('chain writes on a running node: owner-only methods, codes, `lineage-node chain base-uri`, minted flags', () => {
  let anvil: Anvil
  let t: TestNode
  let token: string
  let collection: TestContract
  let address: string
  let chainId: number
  beforeAll(async () => {
    anvil = await startAnvil()
    chainId = anvil.chainId
    t = await startTestNode({})
    token = readApiToken(t.node.config.dataDir) ?? ''
    ;({ contract: collection, address } = await deploy('TestCollection', await anvil.signer(0)))
    await anvil.mined(collection.mint(await (await anvil.signer(3)).getAddress(), 2n))
  }, 120_000)
  afterAll(async () => {
    await t?.stop()
    await anvil?.stop()
  })

  const call = async (method: string, params?: unknown, owner = true): Promise<Answer> => await callRpc(`${t.base}/rpc`, method, params, owner ? token : undefined) as Answer
  async function cli (...argv: string[]): Promise<{ code: number, out: string[], err: string[] }> {
    const out: string[] = []
    const err: string[] = []
    const code = await main([...argv, '--data-dir', t.node.config.dataDir], { out: line => out.push(line), err: line => err.push(line) })
    return { code, out, err }
  }

  it('every write method needs the token; errors come with their codes and the field', async () => {
    const request = { chain_id: chainId, address, key: 'owner', action: 'base_uri', uri: 'ipfs://x/' }
    for (const [method, params] of [
      ['chain_write_functions', [chainId, address]], ['chain_write_estimate', [request]], ['chain_write_send', [request, PASSPHRASE]], ['chain_tx', [1]], ['chain_txs', []],
    ] as const) {
      expect(await call(method, params, false)).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    }
    expect(await call('chain_write_estimate', [request])).toMatchObject({ error: { code: RPC_ERROR_CODES.KeyNotFoundError } })
    expect((await call('keys_import', ['owner', 'secp256k1', OWNER_KEY, PASSPHRASE])).error).toBeUndefined()
    expect((await call('keys_import', ['stranger', 'secp256k1', STRANGER_KEY, PASSPHRASE])).error).toBeUndefined()
    expect(await call('chain_write_estimate', [request])).toMatchObject({ error: { code: RPC_ERROR_CODES.ChainNotConfiguredError } })
    expect((await call('chain_set', [chainId, { http_url: anvil.url, confirmations: 0, poll_interval_ms: 50 }])).error).toBeUndefined()
    expect(await call('chain_write_estimate', [{ ...request, key: 'stranger' }])).toMatchObject({ error: { code: RPC_ERROR_CODES.NotContractOwnerError } })
    expect(await call('chain_write_estimate', [{ ...request, uri: 'two words/' }])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, data: { field: 'uri' } } })
    expect(await call('chain_write_estimate', [{ ...request, key: '../etc' }])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, data: { field: 'key' } } })
    expect(await call('chain_tx', [999])).toMatchObject({ error: { code: RPC_ERROR_CODES.ChainTxNotFoundError } })
    expect(await call('chain_write_send', [request, 'wrong passphrase'])).toMatchObject({ error: { code: RPC_ERROR_CODES.WrongPassphraseError } })
    expect((await call('chain_txs')).result).toEqual([])
    expect(await collection.baseURI()).toBe('')
  })

  it('the CLI shows the estimate without --yes (nothing sent), sends with --yes, and --wait follows it to confirmed', async () => {
    const uri = 'https://meta.example.com/drop/'
    const before = await anvil.blockNumber()
    const dry = await cli('chain', 'base-uri', String(chainId), address, uri, '--key', 'owner')
    expect(dry.code).toBe(0)
    expect(dry.out[0]).toBe(`Calls setBaseURI(string) on ${address} (chain ${chainId}) with "${uri}", from 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266`)
    expect(dry.out[1]).toMatch(/^Gas \d+ \(limit \d+\); costs at most 0\.\d+ in the chain's coin \(\d+ wei\); the account holds \d+(\.\d+)?$/)
    expect(dry.out.at(-1)).toBe('Nothing was sent. Run again with --yes to sign and send it.')
    expect(await anvil.blockNumber()).toBe(before)

    process.env.LINEAGE_PASSPHRASE = PASSPHRASE
    let sent
    try {
      sent = await cli('chain', 'base-uri', String(chainId), address, uri, '--key', 'owner', '--yes', '--wait')
    } finally {
      delete process.env.LINEAGE_PASSPHRASE
    }
    expect(sent.err).toEqual([])
    expect(sent.out.at(-2)).toMatch(/^Sent 0x[0-9a-f]{64} \(id 1\)\. Follow it with `lineage-node chain tx 1`\.$/)
    expect(sent.out.at(-1)).toMatch(new RegExp(`^1\\t0x[0-9a-f]{64}\\tconfirmed\\tblock \\d+ \\(1 of 1 confirmations\\)\\tsetBaseURI\\(string\\)\\("${uri.replace(/[/.]/g, '\\$&')}"\\)$`))
    expect(await collection.baseURI()).toBe(uri)
    expect((await cli('chain', 'updates', String(chainId), address)).out).toEqual([expect.stringMatching(/^block \d+\ttokens 0–115792089237316195423570985008687907853269984665640564039457584007913129639935\t0x[0-9a-f]{64}$/)])
    expect((await call('chain_metadata_updates', [chainId, address], false)).result).toHaveLength(1)
  })

  it('over RPC: estimate, then send with the confirmed cost, then chain_tx until confirmed', async () => {
    const request = { chain_id: String(chainId), address, key: 'owner', action: 'token_uri', token_id: '2', uri: 'two.json' }
    const estimate = (await call('chain_write_estimate', [request])).result as ChainWriteEstimateWire
    expect(estimate).toMatchObject({ function: 'setTokenURI(uint256,string)', args: ['2', 'two.json'], enough_funds: true })
    const sent = (await call('chain_write_send', [request, PASSPHRASE, estimate.cost_wei])).result as ChainTxWire
    expect(sent.state).toBe('sent')
    await expect.poll(async () => ((await call('chain_tx', [sent.tx_hash])).result as ChainTxWire).state, { timeout: 20_000, interval: 100 }).toBe('confirmed')
    expect(await collection.tokenURI(2n)).toBe('https://meta.example.com/drop/two.json')
    expect(((await call('chain_txs', [chainId, address])).result as ChainTxWire[]).map(x => x.action)).toEqual(['token_uri', 'base_uri'])
  })

  it('chain_tokens marks minted and unminted tokens of a watched collection (public, no token)', async () => {
    expect(await call('chain_tokens', [chainId, address, ['1', '2']], false)).toMatchObject({ error: { code: RPC_ERROR_CODES.WatchNotFoundError } })
    expect((await call('chain_watch', [chainId, address])).error).toBeUndefined()
    const head = await anvil.blockNumber()
    await expect.poll(async () => ((await call('chain_status')).result as Array<{ last_block: number | null }>)[0]?.last_block, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(head)
    // The watch reads the EIP-4906 events the baseURI (every token) and token URI (token 2) transactions emitted, newest first.
    const [tokenUri, baseUri] = (await call('chain_txs', [chainId, address])).result as ChainTxWire[]
    expect((await call('chain_tokens', [chainId, address, ['1', '2']], false)).result).toEqual([
      { token_id: '1', minted: false, burned: false, owner: null, metadata_update_block: baseUri?.block_number },
      { token_id: '2', minted: true, burned: false, owner: (await (await anvil.signer(3)).getAddress()).toLowerCase(), metadata_update_block: tokenUri?.block_number },
    ])
    // Recorded once each, though both the writer and the watcher saw them.
    expect(((await call('chain_metadata_updates', [chainId, address], false)).result as Array<{ tx_hash: string }>).map(u => u.tx_hash)).toEqual([tokenUri?.tx_hash, baseUri?.tx_hash])
    expect(await call('chain_tokens', [chainId, address, Array.from({ length: 101 }, (_, i) => String(i))], false)).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams } })
  })
})
