import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { buildServiceBytes } from '../../services/toolchain/builder/index.js'
import { repoRoot } from '../helpers/processes.js'
import { postRpc } from '../helpers/rpc.js'
import { builtService } from '../helpers/services.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const context = { particleId: 'p', initPeerId: 'x', timestamp: Date.now(), ttl: 10_000, signature: new Uint8Array(64) }

/** on_execute's arguments for a write of `data`, as a remote Aqua caller would pass them. */
const execute = (id: string, data: string): unknown[] => [
  { hash: 'b'.repeat(64), token_key: 't', meta_contract_id: id, public_key: 'pk', cid: '' },
  [],
  { hash: 'a'.repeat(64), method: 'metadata', meta_contract_id: id, data_key: 'd', token_key: 't', data, public_key: 'pk', alias: '', timestamp: 1, chain_id: '1', token_address: '0x', token_id: '1', version: 'v1', status: 0, mcdata: '' },
]

// Other peers may call a deployed contract's functions without signing anything. A contract that
// loops (test/marine/fixtures/hostile-meta, built with the project's toolchain) must not let a
// flood of such calls queue without end, nor hold up another contract's callers.
describe('calls from other peers to a deployed contract that loops', () => {
  let n: TestNode
  beforeAll(async () => {
    n = await startTestNode()
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(n.node.config.dataDir) ?? ''}` }
    const deploy = async (id: string, wasm: Uint8Array): Promise<unknown> =>
      (await postRpc(`${n.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'deploy_meta_contract', params: [id, Buffer.from(wasm).toString('base64')] }), headers)).json
    expect(await deploy('hostile', (await buildServiceBytes(path.join(repoRoot, 'test', 'marine', 'fixtures', 'hostile-meta'))).wasm)).toMatchObject({ result: { meta_contract_id: 'hostile' } })
    expect(await deploy('fan-club', builtService('open'))).toMatchObject({ result: { meta_contract_id: 'fan-club' } })
  }, 120_000)
  afterAll(async () => { await n?.stop() })

  it('lets two wait per contract, refuses the rest at once by name, and answers another contract meanwhile', async () => {
    const peer = await n.node.fluence?.loaded()
    if (peer === undefined) throw new Error('no Fluence peer')
    const order: string[] = []
    const ask = (label: string, serviceId: string, data: string): Promise<{ retCode: number, result: unknown }> =>
      peer.execCallRequest({ serviceId, fnName: 'on_execute', args: execute(serviceId, data), tetraplets: [], particleContext: context })
        .then(answer => { order.push(label); return answer as { retCode: number, result: unknown } })
    const flood = [1, 2, 3, 4].map(i => ask(`loop ${i}`, 'hostile', '{"attack":"loop"}'))
    const other = await ask('fan-club', 'fan-club', '{"name":"x"}')
    expect(other).toMatchObject({ retCode: 0, result: { result: true } })
    const answers = await Promise.all(flood)
    expect(answers.map(a => a.retCode)).toEqual([1, 1, 1, 1])
    expect(answers.slice(2).map(a => String(a.result))).toEqual(Array.from({ length: 2 }, () => expect.stringContaining('2 calls from other peers to meta contract hostile are already waiting for it; try again once they are answered')))
    expect(answers.slice(0, 2).map(a => String(a.result))).toEqual(Array.from({ length: 2 }, () => expect.stringContaining('Meta contract hostile did not finish on_execute within 2000 ms and was stopped')))
    // The refusals came at once; the other contract's caller was answered before either loop was stopped.
    expect(order.slice(0, 3).sort()).toEqual(['fan-club', 'loop 3', 'loop 4'])
  }, 60_000)
})
