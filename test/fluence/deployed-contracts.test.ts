import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { postRpc } from '../helpers/rpc.js'
import { builtService } from '../helpers/services.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const context = { particleId: 'p', initPeerId: 'x', timestamp: Date.now(), ttl: 10_000, signature: new Uint8Array(64) }

describe('user-deployed contracts on the Fluence peer', () => {
  let n: TestNode
  beforeAll(async () => {
    n = await startTestNode()
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(n.node.config.dataDir) ?? ''}` }
    const wasm = Buffer.from(builtService('open')).toString('base64')
    const { json } = await postRpc(`${n.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'deploy_meta_contract', params: ['fan-club', wasm] }), headers)
    expect(json).toMatchObject({ result: { meta_contract_id: 'fan-club' } })
  }, 120_000)
  afterAll(async () => { await n?.stop() })

  it('are served to Aqua callers through the contract sandbox, never loaded into the Marine host AquaVM shares', async () => {
    const fluence = n.node.fluence
    if (fluence === undefined) throw new Error('no Fluence peer')
    const peer = await fluence.loaded()
    expect(fluence.status().services.marine).toContain('fan-club')
    const answer = await peer.execCallRequest({ serviceId: 'fan-club', fnName: 'on_clone', args: [], tetraplets: [], particleContext: context })
    expect(answer).toEqual({ retCode: 0, result: true })
    expect(await peer.marineHost.hasService('fan-club')).toBe(false)
    // Our own modules stay in the Marine host.
    expect(await peer.marineHost.hasService('open')).toBe(true)
  })

  it('answers a failing call with the sandbox\'s reason, and keeps serving', async () => {
    const peer = await n.node.fluence?.loaded()
    if (peer === undefined) throw new Error('no Fluence peer')
    const missing = await peer.execCallRequest({ serviceId: 'fan-club', fnName: 'no_such_function', args: [], tetraplets: [], particleContext: context })
    expect(missing.retCode).toBe(1)
    expect(String(missing.result)).toMatch(/no_such_function/)
    expect(await peer.execCallRequest({ serviceId: 'fan-club', fnName: 'on_clone', args: [], tetraplets: [], particleContext: context })).toEqual({ retCode: 0, result: true })
  })
})
