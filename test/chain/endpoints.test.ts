import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { watcherHarness } from './helpers.js'
import type { WatcherHarness } from './helpers.js'

describe('chain endpoints: set by the owner, checked, stored', () => {
  let anvil: Anvil
  let h: WatcherHarness
  beforeAll(async () => {
    anvil = await startAnvil({ chainId: 31337 })
    h = watcherHarness()
  }, 60_000)
  afterAll(async () => {
    await h?.close()
    await anvil?.stop()
  })

  it('stores an endpoint whose eth_chainId matches, with defaults, and updates it', async () => {
    const set = await h.chain.setEndpoint({ chain_id: 31337, http_url: anvil.url, ws_url: anvil.wsUrl })
    expect(set).toMatchObject({ chain_id: 31337, http_url: `${anvil.url}/`, ws_url: `${anvil.wsUrl}/`, confirmations: 12, poll_interval_ms: 4000 })
    await h.chain.setEndpoint({ chain_id: '31337', http_url: anvil.url, confirmations: 2 })
    expect(h.chain.endpoints()).toEqual([expect.objectContaining({ chain_id: 31337, http_url: `${anvil.url}/`, ws_url: '', confirmations: 2, poll_interval_ms: 4000 })])
  })

  it('a WebSocket-only endpoint is checked over WebSocket', async () => {
    expect(await h.chain.setEndpoint({ chain_id: 31337, ws_url: anvil.wsUrl, confirmations: 2 })).toMatchObject({ http_url: '', ws_url: `${anvil.wsUrl}/` })
  })

  it('refuses an endpoint of another chain and keeps what was set', async () => {
    const before = h.chain.endpoints()
    await expect(h.chain.setEndpoint({ chain_id: 1, http_url: anvil.url })).rejects.toMatchObject({
      name: 'ChainIdMismatchError', message: 'The endpoint for chain 1 answers eth_chainId 0x7a69: it serves another chain. Check its URL.',
    })
    await expect(h.chain.setEndpoint({ chain_id: 31337, http_url: 'http://127.0.0.1:1' })).rejects.toMatchObject({ name: 'ChainEndpointUnreachableError' })
    expect(h.chain.endpoints()).toEqual(before)
  })

  it.each([
    [{ chain_id: 31337, http_url: 'file:///etc/passwd' }, 'http_url', 'http_url must be a URL starting with http:// or https://, not file:'],
    [{ chain_id: 31337, http_url: 'ws://127.0.0.1:8545' }, 'http_url', 'http_url must be a URL starting with http:// or https://, not ws:'],
    [{ chain_id: 31337, ws_url: 'https://x.example' }, 'ws_url', 'ws_url must be a URL starting with ws:// or wss://, not https:'],
    [{ chain_id: 31337, http_url: 'not a url' }, 'http_url', 'http_url is not a URL ("not a url"); expected e.g. https://eth.example.com/v1/KEY'],
    [{ chain_id: 31337, http_url: 'https://x.example/#frag' }, 'http_url', 'http_url must not have a fragment (#…)'],
    [{ chain_id: 31337, http_url: `https://x.example/${'a'.repeat(2100)}` }, 'http_url', 'http_url is longer than 2048 characters'],
    [{ chain_id: 31337 }, 'http_url', 'http_url or ws_url is required: the chain\'s JSON-RPC endpoint'],
    [{ chain_id: 0, http_url: 'https://x.example' }, 'chain_id', 'chain_id must be a positive whole number, e.g. 1 for Ethereum or 8453 for Base'],
    [{ chain_id: 'one', http_url: 'https://x.example' }, 'chain_id', 'chain_id must be a positive whole number, e.g. 1 for Ethereum or 8453 for Base'],
    [{ chain_id: 31337, http_url: 'https://x.example', confirmations: -1 }, 'confirmations', 'confirmations must be a whole number from 0 to 10000'],
    [{ chain_id: 31337, http_url: 'https://x.example', poll_interval_ms: 1 }, 'poll_interval_ms', 'poll_interval_ms must be a whole number of milliseconds from 50 to 600000'],
  ])('refuses %j, naming the field, and changes nothing', async (input, field, message) => {
    const before = h.chain.endpoints()
    await expect(h.chain.setEndpoint(input)).rejects.toMatchObject({ name: 'InvalidChainInputError', field, message })
    expect(h.chain.endpoints()).toEqual(before)
  })

  it('watches need a configured chain and a valid address; an endpoint in use is not removed', async () => {
    expect(() => h.chain.watch({ chain_id: 5, address: '0x' + '1'.repeat(40) })).toThrow(expect.objectContaining({ name: 'ChainNotConfiguredError' }))
    expect(() => h.chain.watch({ chain_id: 31337, address: '0x123' })).toThrow(expect.objectContaining({ name: 'InvalidChainInputError', field: 'address' }))
    expect(() => h.chain.watch({ chain_id: 31337, address: '0xAbCdef0123456789abcdef0123456789ABCDEF01' })).toThrow(expect.objectContaining({ name: 'InvalidChainInputError', message: expect.stringContaining('checksum') }))
    expect(() => h.chain.watch({ chain_id: 31337, address: '0x' + '2'.repeat(40), token_type: 'erc20' })).toThrow(expect.objectContaining({ field: 'token_type', message: 'token_type must be one of erc721, erc1155' }))
    expect(h.chain.status()).toEqual([])
    h.chain.watch({ chain_id: 31337, address: '0x' + '2'.repeat(40), start_block: 0 })
    expect(() => h.chain.watch({ chain_id: 31337, address: '0x' + '2'.repeat(40) })).toThrow(expect.objectContaining({ name: 'WatchExistsError' }))
    expect(() => h.chain.removeEndpoint(31337)).toThrow(expect.objectContaining({ name: 'ChainInUseError' }))
    expect(h.chain.endpoints()).toHaveLength(1)
    h.chain.unwatch(31337, '0x' + '2'.repeat(40))
    expect(h.chain.removeEndpoint(31337)).toMatchObject({ chain_id: 31337 })
    expect(h.chain.endpoints()).toEqual([])
    expect(() => h.chain.removeEndpoint(31337)).toThrow(expect.objectContaining({ name: 'ChainNotConfiguredError' }))
  })
})
