import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChainTokenInfoWire, ChainWatchStatusWire, CronTxInfoWire } from '../../src-main/api/index.js'
import { TOPICS } from '../../src-main/chain/index.js'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { startHostileRpc } from '../helpers/hostile-rpc.js'
import type { HostileRpc } from '../helpers/hostile-rpc.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { callRpc } from '../helpers/rpc.js'
import { deploy } from '../helpers/solidity.js'
import { tempDir } from '../helpers/temp-dir.js'

type Answer<T> = { result?: T, error?: { code: number, message: string } }

describe('kill -9 of lineage-node during a backfill', () => {
  const chainId = 31337
  let anvil: Anvil
  let rpc: HostileRpc
  const dir = tempDir()
  const running: StartedNode[] = []
  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    rpc = await startHostileRpc(anvil.url)
  }, 60_000)
  afterAll(async () => {
    for (const n of running) { n.child.kill('SIGKILL'); await n.exited }
    await rpc?.close()
    await anvil?.stop()
    dir.cleanup()
  })

  it('resumes from its checkpoint: every transfer applied once, the owner index equal to the chain', async () => {
    const [alice, bob] = await Promise.all([anvil.signer(0), anvil.signer(1)])
    const a = (await alice.getAddress()).toLowerCase()
    const b = (await bob.getAddress()).toLowerCase()
    const { contract, address, block: deployed } = await deploy('TestNft', alice)
    // 100 blocks of 5 mints each, then transfers and burns that change what the mints did.
    const owners = new Map<number, string | null>()
    for (let i = 0; i < 100; i++) {
      await anvil.mined(contract.mintMany(a, BigInt(i * 5), 5n))
      for (let j = 0; j < 5; j++) owners.set(i * 5 + j, a)
    }
    for (let id = 0; id < 500; id += 25) { await anvil.mined(contract.transferFrom(a, b, BigInt(id))); owners.set(id, b) }
    for (let id = 1; id < 500; id += 50) { await anvil.mined(contract.burn(BigInt(id))); owners.set(id, null) }
    const head = await anvil.blockNumber()
    const logs = await anvil.provider.getLogs({ address, topics: TOPICS.erc721, fromBlock: 0, toBlock: head })
    expect(logs).toHaveLength(500 + 20 + 10)

    // Slow, small ranges, so the backfill is surely under way when the node is killed.
    rpc.mode = { kind: 'slow-logs', delayMs: 100, blocks: 3 }
    const first = await startNodeProcess(['--data-dir', dir.dir, ...TEST_NODE_ARGS])
    running.push(first)
    const call = async <T>(node: StartedNode, method: string, params?: unknown): Promise<Answer<T>> => await callRpc(`${node.url}/rpc`, method, params, node.token) as Answer<T>
    expect((await call(first, 'chain_set', [chainId, { http_url: rpc.url, confirmations: 0, poll_interval_ms: 50 }])).error).toBeUndefined()
    expect((await call(first, 'chain_watch', [chainId, address])).error).toBeUndefined()
    const midway = deployed + 30
    await expect.poll(async () => (await call<ChainWatchStatusWire[]>(first, 'chain_status')).result?.[0]?.last_block ?? 0, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(midway)
    first.child.kill('SIGKILL')
    await first.exited
    running.splice(0)

    rpc.mode = { kind: 'proxy' }
    const second = await startNodeProcess(['--data-dir', dir.dir, ...TEST_NODE_ARGS])
    running.push(second)
    const resumed = (await call<ChainWatchStatusWire[]>(second, 'chain_status')).result?.[0]
    // It starts where the killed node's last committed range ended, not from the deployment block.
    expect(resumed?.last_block).toBeGreaterThanOrEqual(midway)
    expect(resumed?.last_block).toBeLessThan(head)
    await expect.poll(async () => (await call<ChainWatchStatusWire[]>(second, 'chain_status')).result?.[0]?.last_block, { timeout: 60_000, interval: 50 }).toBe(head)

    const status = (await call<ChainWatchStatusWire[]>(second, 'chain_status')).result?.[0]
    expect(status).toMatchObject({ events: logs.length, tokens: 500, failures: 0, last_error: null, start_block: deployed })
    const mints = (await call<CronTxInfoWire[]>(second, 'get_all_cron_txs', [0, 1000])).result ?? []
    expect(mints).toHaveLength(500)
    expect(new Set(mints.map(m => m.token_id)).size).toBe(500)
    for (const [id, owner] of owners) {
      const t = (await call<ChainTokenInfoWire>(second, 'chain_token', [chainId, address, String(id)])).result
      expect({ id, owner: t?.owner, minted: t?.minted }).toEqual({ id, owner, minted: owner !== null })
    }
    expect(owners.get(1)).toBeNull()
  })
})
