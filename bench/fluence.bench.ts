// The embedded Fluence peer: an Aqua call on the node's own peer (AquaVM in the main thread, the
// default) against the same call with AquaVM in js-client's worker, a direct call to the same
// Marine service and plain JS; and an Aqua round trip to a node in another process over
// 127.0.0.1. Anchor: the local Aqua call. The figures in docs/fluence-js-offline.md (≈ 10 ms
// local, ≈ 40 ms cross-process) are printed beside.
import { sha256 } from '@noble/hashes/sha2.js'
import { base58btc } from 'multiformats/bases/base58'
import { afterAll, describe, expect, test } from 'vitest'
import { loadMarineService } from '../services/toolchain/index.js'
import { TEST_NODE_ARGS } from '../test/helpers/node-config.js'
import { startNodeProcess } from '../test/helpers/processes.js'
import { builtService } from '../test/helpers/services.js'
import { startTestNode } from '../test/helpers/test-node.js'
import { tempDir } from '../test/helpers/temp-dir.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const encoder = new TextEncoder()
const lower = (text: string): string => text.replace(/[A-Z]/g, c => c.toLowerCase())
const dataKey = (chainId: string, tokenAddress: string, tokenId: string): string =>
  base58btc.encode(sha256(encoder.encode(lower(chainId) + lower(tokenAddress) + lower(tokenId)))).slice(1)
const args: [string, string, string] = ['1', '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D', '4242']
const [chain_id, token_address, token_id] = args

const local = await startTestNode()
const withWorker = await startTestNode({ aquaVmThread: 'worker' })
const dir = tempDir()
const remote = await startNodeProcess([...TEST_NODE_ARGS, '--data-dir', dir.dir], 60_000)
const keys = await loadMarineService(builtService('keys'), 'keys')
const fluence = local.node.fluence
if (fluence === undefined) throw new Error('the bench node has no Fluence peer')
const self = local.node.peerId ?? ''
const remoteAddress = `${(await (await fetch(`${remote.url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${remote.token}` }, body: '{"jsonrpc":"2.0","id":1,"method":"node_info"}' })).json() as { result: { p2p: { listen_addresses: string[] } } }).result.p2p.listen_addresses[0] ?? ''}`
const { aqua } = await fluence.resolve(remoteAddress)
const peer = fluence.peer

afterAll(async () => {
  await local.stop()
  await withWorker.stop()
  remote.child.kill('SIGTERM')
  await remote.exited
  dir.cleanup()
})

const AQUA_LOCAL = 'Aqua data_key on this node (AquaVM → Marine keys)'
const AQUA_LOCAL_PING = 'Aqua ping on this node (AquaVM → JS built-in)'
const AQUA_LOCAL_WORKER = 'Aqua data_key on a node running AquaVM in js-client\'s worker (--aquavm-thread worker)'
const MARINE_HOST = 'Marine keys.data_key through the peer\'s Marine host (no AquaVM)'
const MARINE_THREAD = 'Marine keys.data_key in-thread (marine-js)'
const PLAIN = 'plain JS (@noble/hashes + multiformats)'
const AQUA_REMOTE = 'Aqua data_key on a node in another process (TCP, 127.0.0.1)'
const AQUA_REMOTE_PING = 'Aqua ping to a node in another process'

/** The documented figures, as cases, so the table shows where we stand against them. */
const documented = (name: string, ms: number): MeasuredCase => ({ name, latency: { mean: ms, p99: ms }, throughput: { mean: 1000 / ms } })

describe('Fluence peer', () => {
  test('Aqua through AquaVM vs direct Marine vs plain JS, and a cross-process round trip', async ({ bench }) => {
    const expected = dataKey(...args)
    expect(await aqua.data_key(peer, { peer: self, chain_id, token_address, token_id })).toBe(expected)
    expect(await fluence.api(remote.peerId).data_key(peer, { peer: remote.peerId, chain_id, token_address, token_id })).toBe(expected)
    const workerFluence = withWorker.node.fluence
    if (workerFluence === undefined) throw new Error('the worker bench node has no Fluence peer')
    const workerSelf = withWorker.node.peerId ?? ''
    // A node's Fluence peer is built on its first particle or call.
    await workerFluence.loaded()
    expect(await workerFluence.api(workerSelf).data_key(workerFluence.peer, { peer: workerSelf, chain_id, token_address, token_id })).toBe(expected)
    // The cross-process cases go first: the synchronous cases below hold the event loop for
    // seconds, and libp2p's connection monitor then closes the connection to the other process.
    const results = await bench.compare(
      bench(AQUA_REMOTE, async () => { await aqua.data_key(peer, { peer: remote.peerId, chain_id, token_address, token_id }) }),
      bench(AQUA_REMOTE_PING, async () => { await aqua.ping(peer, { peer: remote.peerId }) }),
      bench(AQUA_LOCAL, async () => { await fluence.api(self).data_key(peer, { peer: self, chain_id, token_address, token_id }) }),
      bench(AQUA_LOCAL_PING, async () => { await fluence.api(self).ping(peer, { peer: self }) }),
      bench(AQUA_LOCAL_WORKER, async () => { await workerFluence.api(workerSelf).data_key(workerFluence.peer, { peer: workerSelf, chain_id, token_address, token_id }) }),
      bench(MARINE_HOST, async () => { await peer.marineHost.callService('keys', 'data_key', args) }),
      bench(MARINE_THREAD, () => { keys.call('data_key', args) }),
      bench(PLAIN, () => { dataKey(...args) }),
      { time: 3000, warmupIterations: 20 },
    )
    const measured = [results.get(AQUA_LOCAL_PING), results.get(AQUA_LOCAL_WORKER), results.get(MARINE_HOST), results.get(MARINE_THREAD), results.get(PLAIN), results.get(AQUA_REMOTE), results.get(AQUA_REMOTE_PING)]
    reportRatios('Fluence: Aqua vs Marine vs plain JS, local and cross-process', results.get(AQUA_LOCAL), [
      ...measured,
      documented('documented: local Aqua call (fluence-js-offline.md)', 10),
      documented('documented: cross-process round trip (fluence-js-offline.md)', 40),
    ])
  })
})
