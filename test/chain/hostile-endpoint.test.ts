import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { startHostileRpc } from '../helpers/hostile-rpc.js'
import type { HostileMode, HostileRpc } from '../helpers/hostile-rpc.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { caughtUp, statusOf, watcherHarness } from './helpers.js'
import type { WatcherHarness } from './helpers.js'

describe('chain watcher: an endpoint that is slow, down, rate-limiting or answering garbage', () => {
  const chainId = 31337
  let anvil: Anvil
  let rpc: HostileRpc
  let h: WatcherHarness
  let nft: TestContract
  let address: string
  let alice: string
  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    rpc = await startHostileRpc(anvil.url)
    // Short bounds so each failure shows within the test: 500 ms a call, 64 KiB an answer.
    h = watcherHarness({ callTimeoutMs: 500, maxResponseBytes: 64 * 1024, retryInitialDelayMs: 50, retryMaxDelayMs: 200 })
    alice = (await (await anvil.signer(0)).getAddress()).toLowerCase()
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
    await h.chain.setEndpoint({ chain_id: chainId, http_url: rpc.url, confirmations: 0, poll_interval_ms: 50 })
    h.chain.watch({ chain_id: chainId, address })
    await caughtUp(h.chain, address, await anvil.blockNumber())
  }, 60_000)
  afterAll(async () => {
    await h?.close()
    await rpc?.close()
    await anvil?.stop()
  })

  const cases: Array<[string, HostileMode, string, RegExp]> = [
    ['down', { kind: 'down' }, 'ChainEndpointUnreachableError', /could not be reached/],
    ['silent', { kind: 'silent' }, 'ChainEndpointUnreachableError', /no complete answer in 500 ms|got no answer in 500 ms/],
    ['rate-limiting', { kind: 'rate-limit' }, 'ChainEndpointUnreachableError', /rate-limiting this node \(HTTP 429 Too Many Requests\)/],
    ['serving another chain', { kind: 'wrong-chain' }, 'ChainIdMismatchError', /answers eth_chainId 0x1: it serves another chain/],
    ['malformed', { kind: 'malformed' }, 'ChainEndpointResponseError', /answered something unusable/],
    ['huge', { kind: 'huge', bytes: 200_000 }, 'ChainEndpointResponseError', /more than the 65536 bytes|more than 65536 bytes/],
    ['never-ending', { kind: 'never-ending' }, 'ChainEndpointUnreachableError', /no complete answer in 500 ms|got no answer in 500 ms/],
    ['a nonsense result', { kind: 'garbage-result' }, 'ChainEndpointResponseError', /eth_blockNumber answered "banana", not a hex quantity/],
  ]

  it.each(cases)('%s: the status says why and retries with backoff; back to normal, the mint lands once', async (_label, mode, name, message) => {
    rpc.mode = mode
    await expect.poll(() => statusOf(h.chain, address), { timeout: 15_000, interval: 20 }).toMatchObject({
      state: 'retrying', last_error: { name, message: expect.stringMatching(message) },
    })
    await expect.poll(() => statusOf(h.chain, address).failures, { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(3)
    const s = statusOf(h.chain, address)
    expect(s.retry_at).not.toBeNull()
    // The watcher's troubles stay its own: the rest of the node (here, its reads) answers meanwhile.
    expect(h.chain.token(chainId, address, '1')).toMatchObject({ token_id: '1' })

    const tokenId = BigInt(100 + cases.findIndex(c => c[1] === mode))
    await anvil.mined(nft.mint(alice, tokenId))
    rpc.mode = { kind: 'proxy' }
    await caughtUp(h.chain, address, await anvil.blockNumber())
    expect(statusOf(h.chain, address)).toMatchObject({ failures: 0, retry_at: null, state: 'following' })
    expect(h.chain.token(chainId, address, tokenId.toString())).toMatchObject({ minted: true, owner: alice })
  })

  it('an endpoint that limits eth_getLogs ranges: the span shrinks until it fits, nothing is missed', async () => {
    const { contract, address: limited } = await deploy('TestNft', await anvil.signer(0))
    for (let i = 0; i < 12; i++) await anvil.mined(contract.mint(alice, BigInt(i)))
    rpc.mode = { kind: 'limit-range', blocks: 5 }
    rpc.logRanges.length = 0
    h.chain.watch({ chain_id: chainId, address: limited })
    await caughtUp(h.chain, limited, await anvil.blockNumber())
    expect(statusOf(h.chain, limited)).toMatchObject({ events: 12, tokens: 12, failures: 0 })
    // The first range (deployment to head, 14 blocks) is refused until the span halves to 4 blocks.
    const ranges = rpc.logRanges.filter(r => r.address === limited).map(r => r.blocks)
    const firstAccepted = ranges.findIndex(n => n <= 5)
    expect(ranges.slice(0, firstAccepted)).toEqual([13, 13, 13, 13, 13, 13, 13, 13, 8])
    expect(ranges[firstAccepted]).toBe(4)
    expect(statusOf(h.chain, limited).block_span).toBeLessThanOrEqual(8)
    rpc.mode = { kind: 'proxy' }
  })

  it('an endpoint whose eth_getLogs answers grow too big: the span shrinks until the answer fits', async () => {
    const { contract, address: big } = await deploy('TestNft', await anvil.signer(0))
    for (let i = 0; i < 6; i++) await anvil.mined(contract.mint(alice, BigInt(i)))
    rpc.mode = { kind: 'huge-logs', blocks: 2, bytes: 100_000 }
    h.chain.watch({ chain_id: chainId, address: big })
    await caughtUp(h.chain, big, await anvil.blockNumber())
    expect(statusOf(h.chain, big)).toMatchObject({ events: 6, tokens: 6, failures: 0 })
    const ranges = rpc.logRanges.filter(r => r.address === big).map(r => r.blocks)
    expect(Math.max(...ranges.filter(n => n <= 2))).toBe(2)
    expect(ranges.filter(n => n > 2).length).toBeGreaterThan(0)
    rpc.mode = { kind: 'proxy' }
  })
})
