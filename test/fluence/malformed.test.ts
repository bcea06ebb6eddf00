import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NodeInfo } from '../../src-main/api/index.js'
import { encodeParticle, frame, loadJsClient, MAX_PARTICLE_DEADLINE_MS, PARTICLE_PROTOCOL } from '../../src-main/fluence/index.js'
import { dialTarget } from '../../src-main/p2p/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

async function info (node: StartedNode): Promise<NodeInfo> {
  const response = await fetch(`${node.url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info' }) })
  return (await response.json() as { result: NodeInfo }).result
}

describe('malformed particles sent to a running node', () => {
  const dir = tempDir()
  let a: StartedNode
  let b: TestNode
  let address: string

  beforeAll(async () => {
    [a, b] = await Promise.all([startNodeProcess([...TEST_NODE_ARGS, '--data-dir', dir.dir], 60_000), startTestNode()])
    address = (await info(a)).p2p?.listen_addresses[0] ?? ''
  }, 90_000)

  afterAll(async () => {
    await b.stop()
    a.child.kill('SIGTERM')
    await a.exited
    dir.cleanup()
  })

  it('are dropped and counted, bad frames reset their stream, and the node keeps serving', async () => {
    const libp2p = b.node.p2p?.libp2p
    const fluence = b.node.fluence
    if (libp2p === undefined || fluence === undefined) throw new Error('B is offline')
    await libp2p.dial(dialTarget(multiaddr(address)))
    const send = async (bytes: Uint8Array): Promise<void> => {
      const stream = await libp2p.dialProtocol(dialTarget(multiaddr(address)), PARTICLE_PROTOCOL)
      stream.send(bytes)
      await stream.close().catch(() => {})
    }
    const js = await loadJsClient()
    const key = await js.KeyPair.randomEd25519()
    const other = await js.KeyPair.randomEd25519()
    const forged = await js.Particle.createNew('(null)', key.getPeerId(), 5000, other)
    const tooLong = await js.Particle.createNew('(null)', key.getPeerId(), MAX_PARTICLE_DEADLINE_MS + 60_000, key)
    const future = await js.Particle.createNew('(null)', key.getPeerId(), 5000, key, undefined, Date.now() + 3_600_000)
    const before = (await info(a)).fluence?.particles
    await send(frame(Uint8Array.from([1, 2, 3, 4, 5]))) // not a particle
    await send(frame(encodeParticle(forged))) // signed by another key
    await send(frame(encodeParticle(tooLong))) // deadline too far ahead
    await send(frame(encodeParticle(future))) // stamped an hour ahead
    await send(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x7f])) // a 34 GB length prefix
    // All four rejections counted means every frame was read: none was let through to AquaVM.
    const after = await waitFor('the node to reject the four bad particles', async () => {
      const particles = (await info(a)).fluence?.particles
      return (particles?.rejected ?? 0) - (before?.rejected ?? 0) >= 4 && particles
    }, { intervalMs: 100 })
    expect((after?.rejected ?? 0) - (before?.rejected ?? 0)).toBe(4)
    expect((after?.abortedStreams ?? 0) - (before?.abortedStreams ?? 0)).toBe(1)
    expect(after?.received).toBe(before?.received)

    const { result } = await fluence.call(a.peerId, async (aqua, peer) => await aqua.node_info(fluence.peer, peer))
    expect(result).toMatchObject({ peer_id: a.peerId, state: 'running' })
    expect((await info(a)).fluence?.particles.received).toBeGreaterThan(before?.received ?? 0)
  }, 60_000)
})
