// The chain watcher (issue 19) against a real local chain (anvil, OpenZeppelin ERC-721):
//
// 1. Backfill: CHAIN_BENCH_MINTS mints (default 10,000, in transactions of 100 spread over about
//    5,000 blocks) read into the owner index, from the deployment block to the head, by the
//    watcher (src-main/chain, in process, over a fresh SQLite store), timed from `watch()` to the
//    last block applied. Anchor: a plain eth_getLogs loop over the same range with the same
//    library (ethers 6: JsonRpcProvider.getLogs in spans of 2,000 blocks, each log decoded with
//    Interface.parseLog), which stores nothing. Alternated, CHAIN_BENCH_RUNS times each (default 3).
//    Target: ≤ 1.5× the anchor's time.
// 2. Steady state, in blocks (not ms): a node (in process) watches a collection hidden until
//    minted, with 2 confirmations and a poll interval of half the block time; anvil mines a block
//    every CHAIN_BENCH_BLOCK_MS (default 1,000 ms). For CHAIN_BENCH_REVEALS mints (default 10), the
//    head when the gateway first serves the real document, minus the mint's block. Target: at most
//    confirmations + 1 (revealed within one block after the confirmation depth).
//
// `npm run bench -- chain-backfill`; a quick check: CHAIN_BENCH_MINTS=1000 CHAIN_BENCH_RUNS=1 CHAIN_BENCH_REVEALS=3.
import { performance } from 'node:perf_hooks'
import { Interface, JsonRpcProvider } from 'ethers'
import type { Log } from 'ethers'
import { describe, expect, test } from 'vitest'
import { createChainWatcher, TRANSFER_TOPIC } from '../src-main/chain/index.js'
import { createStore } from '../src-main/store/index.js'
import { readApiToken } from '../src-main/node/index.js'
import { startAnvil } from '../test/helpers/anvil.js'
import type { Anvil } from '../test/helpers/anvil.js'
import { testLog } from '../test/helpers/logger.js'
import { callRpc } from '../test/helpers/rpc.js'
import { evmSigner } from '../test/helpers/signers.js'
import { compileContracts, deploy } from '../test/helpers/solidity.js'
import { tempDir } from '../test/helpers/temp-dir.js'
import { startTestNode } from '../test/helpers/test-node.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const MINTS = Number(process.env.CHAIN_BENCH_MINTS ?? 10_000)
const RUNS = Number(process.env.CHAIN_BENCH_RUNS ?? 3)
const REVEALS = Number(process.env.CHAIN_BENCH_REVEALS ?? 10)
const BLOCK_MS = Number(process.env.CHAIN_BENCH_BLOCK_MS ?? 1_000)
const PER_TX = 100
const GAP_BLOCKS = 50
const SPAN = 2_000
const CONFIRMATIONS = 2

/** Mints MINTS tokens in transactions of PER_TX, each in its own block with GAP_BLOCKS empty blocks after. */
async function mintMany (anvil: Anvil, address: string, from: string): Promise<void> {
  const abi = new Interface(compileContracts().TestNft?.abi ?? [])
  for (let first = 1; first <= MINTS; first += PER_TX) {
    const count = Math.min(PER_TX, MINTS - first + 1)
    await anvil.mined(anvil.provider.send('eth_sendTransaction', [{ from, to: address, data: abi.encodeFunctionData('mintMany', [from, BigInt(first), BigInt(count)]) }]).then(hash => ({ hash: String(hash) })))
    await anvil.mine(GAP_BLOCKS)
  }
}

/** The anchor: every Transfer log of the range, read and decoded with ethers, stored nowhere. */
async function getLogsLoop (url: string, chainId: number, address: string, from: number, to: number): Promise<number> {
  const provider = new JsonRpcProvider(url, chainId, { staticNetwork: true, batchMaxCount: 1 })
  const abi = new Interface(['event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)'])
  let decoded = 0
  try {
    for (let start = from; start <= to; start += SPAN) {
      const logs: Log[] = await provider.getLogs({ address, topics: [TRANSFER_TOPIC], fromBlock: start, toBlock: Math.min(to, start + SPAN - 1) })
      for (const log of logs) if (abi.parseLog(log) !== null) decoded++
    }
  } finally {
    provider.destroy()
  }
  return decoded
}

/** Ours: a fresh store and watcher, from `watch()` until every block up to `to` is applied. */
async function backfill (url: string, chainId: number, address: string, from: number, to: number): Promise<number> {
  const dir = tempDir()
  const store = createStore({ log: testLog }, { dataDir: dir.dir })
  store.start()
  const chain = createChainWatcher({ db: store.db, log: testLog }, { initialBlockSpan: SPAN })
  try {
    await chain.setEndpoint({ chain_id: chainId, http_url: url, confirmations: 0, poll_interval_ms: 50 })
    chain.start()
    const started = performance.now()
    chain.watch({ chain_id: chainId, address, start_block: from })
    for (;;) {
      const status = chain.status()[0]
      if (status?.last_block !== null && (status?.last_block ?? 0) >= to) break
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    const ms = performance.now() - started
    const { n } = store.db.prepare("SELECT count(*) AS n FROM chain_tokens WHERE supply = '1'").get() as { n: number }
    expect(n).toBe(MINTS)
    return ms
  } finally {
    await chain.stop()
    store.stop()
    dir.cleanup()
  }
}

const row = (name: string, ms: number[]): MeasuredCase => {
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length
  return { name, latency: { mean, p99: Math.max(...ms) }, throughput: { mean: MINTS / (mean / 1000) } }
}

describe('chain watcher', () => {
  test(`backfill of ${MINTS.toLocaleString('en-US')} mints into the owner index vs an eth_getLogs loop`, async () => {
    const anvil = await startAnvil({ gasLimit: 1_000_000_000n })
    try {
      const signer = await anvil.signer(0)
      const from = (await signer.getAddress()).toLowerCase()
      const { address, block } = await deploy('TestNft', signer)
      await mintMany(anvil, address, from)
      const head = await anvil.blockNumber()
      const times = { anchor: [] as number[], ours: [] as number[] }
      for (let run = 0; run < RUNS * 2; run++) {
        // Alternated, so load from other processes falls on both alike.
        if (run % 2 === 0) {
          const started = performance.now()
          expect(await getLogsLoop(anvil.url, anvil.chainId, address, block, head)).toBe(MINTS)
          times.anchor.push(performance.now() - started)
        } else {
          times.ours.push(await backfill(anvil.url, anvil.chainId, address, block, head))
        }
      }
      console.log(`backfill runs (ms) over blocks ${block}–${head}: anchor ${times.anchor.map(t => t.toFixed(0)).join(', ')}; watcher ${times.ours.map(t => t.toFixed(0)).join(', ')}`)
      const [, ours] = reportRatios(`backfill of ${MINTS.toLocaleString('en-US')} ERC-721 mints over ${(head - block).toLocaleString('en-US')} blocks from anvil, mean of ${RUNS} alternated runs (mean and p99 columns: a whole run; p99 = the slowest)`,
        row('eth_getLogs loop with ethers, 2,000-block spans, decoded, not stored (anchor)', times.anchor), [row('chain watcher: owner index in SQLite, checkpoint per range', times.ours)])
      console.log(`target ≤ 1.50× the anchor's time: ${(ours?.timeVsAnchor ?? 0).toFixed(2)}×`)
    } finally {
      await anvil.stop()
    }
  })

  test(`steady state: blocks from a mint to its reveal at the gateway (${CONFIRMATIONS} confirmations, a block every ${BLOCK_MS} ms)`, async () => {
    const anvil = await startAnvil()
    const node = await startTestNode({})
    let mining = true
    try {
      const token = readApiToken(node.node.config.dataDir) ?? ''
      const call = async (method: string, params: unknown): Promise<unknown> => await callRpc(`${node.base}/rpc`, method, params, token)
      const signer = await anvil.signer(0)
      const from = (await signer.getAddress()).toLowerCase()
      const { address } = await deploy('TestNft', signer)
      await call('chain_set', [anvil.chainId, { http_url: anvil.url, confirmations: CONFIRMATIONS, poll_interval_ms: Math.max(50, Math.floor(BLOCK_MS / 2)) }])
      await call('chain_watch', [anvil.chainId, address])
      const creator = evmSigner()
      const sign = async (id: string, data: object, method: 'metadata' | 'contract' = 'metadata'): Promise<unknown> =>
        await creator.sign({ method, chain_id: String(anvil.chainId), token_address: address, token_id: id, meta_contract_id: 'open', alias: '', version: 'v1', data: JSON.stringify(data), mcdata: '' })
      node.node.lineage.publish(await sign('', {}, 'contract'))
      for (let i = 1; i <= REVEALS; i++) node.node.lineage.publish(await sign(String(i), { name: `Revealed #${i}` }))
      await node.node.lineage.settled()
      await call('chain_reveal_set', [anvil.chainId, address, { name: 'Unrevealed' }])
      // The chain's clock: one block every BLOCK_MS, as a live chain has.
      await anvil.automine(false)
      const miner = (async () => { while (mining) { await anvil.mine(1); await new Promise(resolve => setTimeout(resolve, BLOCK_MS)) } })()
      const abi = new Interface(compileContracts().TestNft?.abi ?? [])
      const depths: number[] = []
      for (let i = 1; i <= REVEALS; i++) {
        const hash = String(await anvil.provider.send('eth_sendTransaction', [{ from, to: address, data: abi.encodeFunctionData('mint', [from, BigInt(i)]) }]))
        const { blockNumber } = await anvil.mined({ hash })
        for (;;) {
          const document = await (await fetch(`${node.base}/metadata/${anvil.chainId}/${address}/${i}`)).json() as { name?: string }
          if (document.name === `Revealed #${i}`) break
          await new Promise(resolve => setTimeout(resolve, 20))
        }
        depths.push(await anvil.blockNumber() - blockNumber)
      }
      mining = false
      await miner
      const within = depths.filter(d => d <= CONFIRMATIONS + 1).length
      console.log([
        '',
        `### steady state: blocks from a mint to its reveal at the gateway (${CONFIRMATIONS} confirmations, poll every ${Math.max(50, Math.floor(BLOCK_MS / 2))} ms, a block every ${BLOCK_MS} ms, ${REVEALS} mints)`,
        '',
        '| blocks after the mint\'s block | mints revealed then |',
        '|---:|---:|',
        ...[...new Set(depths)].sort((a, b) => a - b).map(d => `| ${d}${d === CONFIRMATIONS ? ' (the confirmation depth)' : d === CONFIRMATIONS + 1 ? ' (one block after it)' : ''} | ${depths.filter(x => x === d).length} |`),
        `| within one block after the confirmation depth | ${within} of ${REVEALS} |`,
        '',
      ].join('\n'))
      expect(Math.min(...depths)).toBeGreaterThanOrEqual(CONFIRMATIONS)
    } finally {
      mining = false
      await node.stop()
      await anvil.stop()
    }
  })
})
