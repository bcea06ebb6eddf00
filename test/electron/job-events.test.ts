import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobNotification } from '../../src-main/api/index.js'
import { createJobEventForwarder } from '../../src-main/electron/job-events.js'
import { ed25519Signer } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const methods = (sent: JobNotification[]): string[] => [...new Set(sent.map(n => n.method))]

describe('job events forwarded to the window', () => {
  let running: TestNode
  beforeAll(async () => { running = await startTestNode() })
  afterAll(async () => { await running.stop() })

  it('forwards GC progress and its end, and the validator\'s outcomes, as the WebSocket names them', async () => {
    const sent: JobNotification[] = []
    const forwarder = createJobEventForwarder(running.node, n => { sent.push(n) })
    forwarder.attach()
    const reply = await running.node.api.dispatch({ jsonrpc: '2.0', id: 1, method: 'gc', params: [true] }, { transport: 'ipc', authenticated: true })
    expect(reply).toMatchObject({ result: { freed: expect.any(Array) } })
    await expect.poll(() => methods(sent)).toEqual(['lineage:gc:progress', 'lineage:gc:done'])
    expect(sent.at(-1)).toEqual({ method: 'lineage:gc:done', params: { dry_run: true, freed: expect.any(Number), bytes: expect.any(Number) } })

    const signer = ed25519Signer()
    running.node.lineage.publish(await signer.sign({ method: 'contract', chain_id: '1', token_address: '0x00000000000000000000000000000000000000e6', token_id: '', meta_contract_id: 'open', alias: '', version: 'v1', data: '{}', mcdata: '' }))
    await running.node.lineage.settled()
    await expect.poll(() => sent.filter(n => n.method === 'lineage:transaction:applied')).toHaveLength(1)
    expect(sent.at(-1)?.params).toMatchObject({ status: 'applied', method: 'contract', meta_contract_id: 'open', hash: expect.any(String) })
    forwarder.detach()
  })

  it('stops on detach, listens once however often attached, and follows the node across a restart', async () => {
    const sent: JobNotification[] = []
    const forwarder = createJobEventForwarder(running.node, n => { sent.push(n) })
    forwarder.attach()
    forwarder.attach()
    const gc = async (): Promise<unknown> => await running.node.api.dispatch({ jsonrpc: '2.0', id: 1, method: 'gc', params: [true] }, { transport: 'ipc', authenticated: true })
    await gc()
    await expect.poll(() => sent.filter(n => n.method === 'lineage:gc:done')).toHaveLength(1)

    // A second forwarder, attached after the first, stays on as a witness: events reach listeners
    // in the order they attached, so once it hears the next GC end, the detached one would have.
    const witnessed: JobNotification[] = []
    const witness = createJobEventForwarder(running.node, n => { witnessed.push(n) })
    witness.attach()
    forwarder.detach()
    forwarder.detach()
    await gc()
    await expect.poll(() => witnessed.filter(n => n.method === 'lineage:gc:done')).toHaveLength(1)
    witness.detach()
    expect(sent.filter(n => n.method === 'lineage:gc:done')).toHaveLength(1)

    await running.node.stop()
    forwarder.attach() // a stopped node: nothing to listen to, and no throw
    await running.node.start()
    forwarder.attach()
    await gc()
    await expect.poll(() => sent.filter(n => n.method === 'lineage:gc:done')).toHaveLength(2)
    forwarder.detach()
  })
})
