import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { ChainWatchStatusWire, CronInfoWire, CronTxInfoWire } from '../../src-main/api/index.js'
import { cronHash, CRON_TOPIC } from '../../src-main/chain/index.js'
import { main } from '../../src-main/cli/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { startHostileRpc } from '../helpers/hostile-rpc.js'
import type { HostileRpc } from '../helpers/hostile-rpc.js'
import { callRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

type Answer = { result?: unknown, error?: { code: number, message: string, data?: unknown } }

describe('chain methods and the original\'s cron reads on a running node, and `lineage-node chain …`', () => {
  const chainId = 31337
  let anvil: Anvil
  let rpc: HostileRpc
  let t: TestNode
  let token: string
  let nft: TestContract
  let address: string
  let alice: string
  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    rpc = await startHostileRpc(anvil.url)
    t = await startTestNode({})
    token = readApiToken(t.node.config.dataDir) ?? ''
    alice = (await (await anvil.signer(0)).getAddress()).toLowerCase()
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
  }, 120_000)
  afterAll(async () => {
    await t?.stop()
    await rpc?.close()
    await anvil?.stop()
  })

  const call = async (method: string, params?: unknown, owner = true): Promise<Answer> => await callRpc(`${t.base}/rpc`, method, params, owner ? token : undefined) as Answer
  async function cli (...argv: string[]): Promise<{ code: number, out: string[], err: string[] }> {
    const out: string[] = []
    const err: string[] = []
    const code = await main([...argv, '--data-dir', t.node.config.dataDir], { out: line => out.push(line), err: line => err.push(line) })
    return { code, out, err }
  }

  it('only the owner sets endpoints and watches; nobody can hand the node a chain event', async () => {
    for (const [method, params] of [
      ['chain_set', [chainId, { http_url: 'http://169.254.169.254/' }]], ['chain_rm', [chainId]], ['chain_ls', []],
      ['chain_watch', [chainId, address]], ['chain_unwatch', [chainId, address]], ['chain_watch_stop', [chainId, address]],
      ['chain_watch_start', [chainId, address]], ['chain_status', []],
    ] as const) {
      expect(await call(method, params, false)).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    }
    // The original's internal hook, open to anyone there, does not exist here.
    expect(await call('send_cron_tx', [{ hash: 'x', data: '{}', tx_block_number: 1, tx_hash: '0x1', token_id: '1' }], false)).toMatchObject({ error: { code: RPC_ERROR_CODES.MethodNotFound } })
    expect(await call('send_cron_tx', [{ hash: 'x', data: '{}', tx_block_number: 1, tx_hash: '0x1', token_id: '1' }])).toMatchObject({ error: { code: RPC_ERROR_CODES.MethodNotFound } })
    // The original's signed `cron` transaction named the URL the node fetched: ours is refused, and nothing is fetched.
    // (Our signing code knows no `cron` method either: signed as metadata, then renamed.)
    const signed = await evmSigner().sign({
      method: 'metadata', chain_id: String(chainId), token_address: address, token_id: '1', meta_contract_id: 'erc721', alias: '', version: 'v1', mcdata: '',
      data: JSON.stringify({ action: 'create', address, topic: CRON_TOPIC.erc721, token_type: 'erc721', chain: String(chainId), node_url: `${rpc.url}/fetched`, abi_url: `${rpc.url}/abi` }),
    })
    const cronRequest = { ...signed, method: 'cron' }
    expect(await call('publish', [cronRequest], false)).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, message: expect.stringContaining('method must be one of contract, metadata, clone') } })
    expect([...rpc.calls.keys()]).toEqual([])
    expect((await call('chain_ls')).result).toEqual([])
  })

  it('the CLI sets the endpoint, watches, and reads status and tokens; bad input is one clear line', async () => {
    expect(await cli('chain', 'set', String(chainId), '--http', 'ftp://x.example')).toEqual({ code: 1, out: [], err: ['Error: Invalid params: http_url must be a URL starting with http:// or https://, not ftp:'] })
    expect(await cli('chain', 'set', '1', '--http', anvil.url)).toMatchObject({ code: 1, err: ['Error: The endpoint for chain 1 answers eth_chainId 0x7a69: it serves another chain. Check its URL.'] })
    expect(await cli('chain', 'set', String(chainId), '--http', rpc.url, '--confirmations', '0', '--poll-interval', '50')).toEqual({
      code: 0, out: [`Set ${chainId}\t${rpc.url}/\t0 confirmations\tpoll 50 ms`], err: [],
    })
    expect((await cli('chain', 'ls')).out).toEqual([`${chainId}\t${rpc.url}/\t0 confirmations\tpoll 50 ms`])
    await anvil.mined(nft.mint(alice, 1n))
    const second = await anvil.mined(nft.mint(alice, 2n))
    expect(await cli('chain', 'watch', String(chainId), address)).toEqual({
      code: 0, out: [`Watching ${address} on chain ${chainId} (erc721) from its deployment block. See \`lineage-node chain status\`.`], err: [],
    })
    await expect.poll(async () => ((await call('chain_status')).result as ChainWatchStatusWire[])[0]?.last_block, { timeout: 20_000, interval: 50 }).toBe(second.blockNumber)
    expect((await cli('chain', 'status')).out).toEqual([`${chainId}\t${address}\terc721\tfollowing\tblock ${second.blockNumber} of ${second.blockNumber} confirmed (head ${second.blockNumber})\t2 tokens, 2 events`])
    expect((await cli('chain', 'token', String(chainId), address, '2')).out).toEqual([`2\tminted\t${alice}\tminted in block ${second.blockNumber} (${second.hash})`])
    expect((await call('chain_token', [chainId, address, '2'], false)).result).toMatchObject({ minted: true, owner: alice, mint_tx: second.hash })
    // Other parts of the node read the same index directly.
    expect(t.node.chain.isMinted(chainId, address, '2')).toBe(true)
    expect(t.node.chain.ownerOf(chainId, address, '1')).toBe(alice)
    expect(await cli('chain', 'rm', String(chainId))).toMatchObject({ code: 1, err: [`Error: Chain ${chainId} has 1 watched collection. Unwatch them first (\`lineage-node chain unwatch\`).`] })
  })

  it('the original\'s cron reads, in its shapes, from confirmed mints only', async () => {
    const topic = CRON_TOPIC.erc721
    const hash = cronHash(String(chainId), address, topic)
    const crons = (await call('get_active_crons', [], false)).result as CronInfoWire[]
    expect(crons).toEqual([{
      hash, token_key: expect.any(String), address, token_type: 'erc721', chain: String(chainId), topic, status: 1, meta_contract_id: '',
      node_url: '', last_processed_block: expect.any(Number), public_key: '', abi_url: '',
    }])
    expect(crons[0]?.token_key).toBe((await call('generate_token_key', [String(chainId), address], false)).result)
    expect((await call('get_all_crons', [], false)).result).toEqual(crons)
    const txs = (await call('get_all_cron_txs', [], false)).result as CronTxInfoWire[]
    expect(txs.map(x => x.token_id)).toEqual(['1', '2'])
    expect(txs[1]).toEqual({
      hash: expect.stringMatching(/^[0-9a-f]{64}$/), address, token_type: 'erc721', chain: String(chainId), topic, meta_contract_id: '', timestamp: expect.any(Number),
      tx_block_number: expect.any(Number), tx_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/), status: 1,
      data: JSON.stringify({ from: '0x0000000000000000000000000000000000000000', to: alice, tokenId: '2', value: '1' }), error_text: '', token_id: '2',
      data_key: (await call('generate_data_key', [String(chainId), address, '2'], false)).result, token_key: crons[0]?.token_key,
    })
    // deserialize_fork reads what the watcher recorded, as the original's contracts did.
    expect((await call('deserialize_fork', [txs[1]?.data], false)).result).toEqual({ data: '', token_id: '2', address: alice })
    expect((await call('search_cron_tx', [address, String(chainId), topic], false)).result).toEqual(txs)
    expect((await call('search_cron_tx', [address, String(chainId), CRON_TOPIC.erc1155], false)).result).toEqual([])
    expect((await call('search_cron_tx', [address, 'mainnet', topic], false)).result).toEqual([])
    expect((await call('get_cron_tx_latest_block', [address.toUpperCase().replace('0X', '0x'), String(chainId), topic.toUpperCase().replace('0X', '0x')], false)).result).toBe(txs[1]?.tx_block_number)
    expect((await call('get_all_cron_txs', [1, 5], false)).result).toEqual(txs.slice(1))
    expect((await call('get_cron_tx_by_tx_hash', [txs[0]?.tx_hash, address, String(chainId), topic], false)).result).toEqual(txs[0])
    expect((await call('get_cron_tx_by_tx_hash', [`0x${'ab'.repeat(32)}`, address, String(chainId), topic], false)).result).toBeNull()
    expect((await call('get_cron_tx_latest_block', [address, String(chainId), topic], false)).result).toBe(txs[1]?.tx_block_number)
    expect((await call('get_cron_latest_block', [hash], false)).result).toBe(crons[0]?.last_processed_block)
    expect((await call('get_cron_latest_block', ['00'.repeat(32)], false)).result).toBe(0)
  })

  it.each([
    [{ kind: 'down' }, 'ChainEndpointUnreachableError'],
    [{ kind: 'rate-limit' }, 'ChainEndpointUnreachableError'],
    [{ kind: 'wrong-chain' }, 'ChainIdMismatchError'],
    [{ kind: 'malformed' }, 'ChainEndpointResponseError'],
    [{ kind: 'garbage-result' }, 'ChainEndpointResponseError'],
  ] as const)('an endpoint %j: the status names %s, the node keeps serving, and recovers', async (mode, name) => {
    rpc.mode = mode
    await expect.poll(async () => ((await call('chain_status')).result as ChainWatchStatusWire[])[0], { timeout: 30_000, interval: 50 }).toMatchObject({ state: 'retrying', last_error: { name } })
    expect((await call('node_info')).result).toMatchObject({ state: 'running' })
    expect((await call('chain_token', [chainId, address, '1'], false)).result).toMatchObject({ minted: true })
    rpc.mode = { kind: 'proxy' }
    await expect.poll(async () => ((await call('chain_status')).result as ChainWatchStatusWire[])[0], { timeout: 30_000, interval: 50 }).toMatchObject({ state: 'following', failures: 0 })
  })

  it('an endpoint that stops answering: the status says so, and the node keeps serving', async () => {
    rpc.mode = { kind: 'silent' }
    await expect.poll(async () => ((await call('chain_status')).result as ChainWatchStatusWire[])[0], { timeout: 60_000, interval: 100 }).toMatchObject({
      state: 'retrying', last_error: { name: 'ChainEndpointUnreachableError' },
    })
    expect((await call('node_info')).result).toMatchObject({ state: 'running' })
    expect((await call('chain_token', [chainId, address, '1'], false)).result).toMatchObject({ minted: true })
    rpc.mode = { kind: 'proxy' }
    expect(await cli('chain', 'stop', String(chainId), address)).toMatchObject({ code: 0 })
    expect(((await call('chain_status')).result as ChainWatchStatusWire[])[0]).toMatchObject({ active: false, state: 'stopped' })
    expect((await call('get_active_crons', [], false)).result).toEqual([])
    expect(await cli('chain', 'unwatch', String(chainId), address)).toEqual({ code: 0, out: [`Stopped watching ${address} on chain ${chainId}; its 2 tokens and 2 events are forgotten`], err: [] })
    expect(await cli('chain', 'rm', String(chainId))).toEqual({ code: 0, out: [`Removed the endpoint of chain ${chainId}`], err: [] })
  })
})
