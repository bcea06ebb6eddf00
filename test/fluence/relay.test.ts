import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NodeInfo } from '../../src-main/api/index.js'
import { runCli } from '../helpers/processes.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'

describe('joining a network through an external relay (--relay)', () => {
  let relay: TestNode
  const nodes: TestNode[] = []
  let ws: string

  beforeAll(async () => {
    relay = await startTestNode()
    ws = relay.node.status().listenAddresses.find(x => x.includes('/ws/')) ?? ''
  }, 60_000)
  afterAll(async () => {
    for (const n of nodes) await n.stop()
    await relay.stop()
  })

  it('connects, reports it, and reaches another peer of that network through the relay', async () => {
    const [c, d] = await Promise.all([startTestNode({ relay: ws }), startTestNode({ relay: ws })])
    nodes.push(c, d)
    const relayOf = (n: TestNode): NodeInfo['fluence'] => n.node.info().fluence
    await waitFor('C and D to connect to the relay', () => relayOf(c)?.relay?.state === 'connected' && relayOf(d)?.relay?.state === 'connected', { detail: () => JSON.stringify([relayOf(c)?.relay, relayOf(d)?.relay]) })
    expect(relayOf(c)?.relay).toMatchObject({ address: ws, peer_id: relay.node.peerId, last_error: null, attempts: 0 })
    // D has no connection to C: the particle goes D → relay → C → relay → D (relay-compiled AIR).
    const fluence = d.node.fluence
    if (fluence === undefined) throw new Error('no Fluence peer')
    const cId = c.node.peerId ?? ''
    expect(d.node.p2p?.libp2p.getConnections().map(x => x.remotePeer.toString())).not.toContain(cId)
    const { result } = await fluence.call(cId, async (aqua, peer) => await aqua.node_info(fluence.peer, peer))
    expect(result.peer_id).toBe(cId)
  }, 60_000)

  it('an unreachable relay is reported with the last error, and retried with growing waits', async () => {
    const blocker = net.createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as net.AddressInfo).port
    blocker.close()
    const e = await startTestNode({ relay: `/ip4/127.0.0.1/tcp/${port}/ws/p2p/${relay.node.peerId ?? ''}` })
    nodes.push(e)
    const status = (): NonNullable<NodeInfo['fluence']>['relay'] => e.node.info().fluence?.relay ?? null
    await waitFor('a second attempt at the unreachable relay', () => (status()?.attempts ?? 0) >= 2, { detail: () => JSON.stringify(status()) })
    const s = status()
    expect(s?.state).toBe('unreachable')
    expect(s?.last_error).toEqual(expect.any(String))
    expect(s?.next_attempt_at).toEqual(expect.any(String))
    // The node itself runs normally meanwhile.
    expect(e.node.status().state).toBe('running')
  }, 30_000)

  it('the CLI refuses a relay address without a peer id, in one line', async () => {
    const ran = await runCli(['start', '--relay', '/ip4/127.0.0.1/tcp/1/ws', '--data-dir', '/tmp/lineage-relay-cli-test', '--rpc-port', '0', '--p2p-port', '0'])
    expect(ran.code).not.toBe(0)
    expect(ran.stderr).toMatch(/relay: must be a multiaddr ending in \/p2p\/<peer id>/)
  })
})
