// Particles that reach a node before its js-client peer exists wait for it, in arrival order, and
// the first of them asks for the peer. Driven through the node's real particle connection: a
// particle a node sends to itself goes through the same source an incoming one does.
import type { Libp2p } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ParticleConnection } from '../../src-main/fluence/connection.js'
import { HeldParticles } from '../../src-main/fluence/held-particles.js'
import type { Particle } from '../../src-main/fluence/internals.js'
import { testLog } from '../helpers/logger.js'

describe('particles held until the Fluence peer is made', () => {
  let libp2p: Libp2p
  const particle = (id: string): Particle => ({ id, timestamp: Date.now(), script: '(null)', data: new Uint8Array(), ttl: 7_000, initPeerId: libp2p.peerId.toString(), signature: new Uint8Array(64) })
  const arrive = async (connection: ParticleConnection, id: string): Promise<void> => { await connection.sendParticle([libp2p.peerId.toString()], particle(id)) }

  beforeAll(async () => { libp2p = await createLibp2p({}) })
  afterAll(async () => { await libp2p.stop() })

  it('holds what arrives before it opens, asks for the peer once, then hands them over in order and passes the rest straight on', async () => {
    const connection = new ParticleConnection({ libp2p, log: testLog })
    let asked = 0
    const held = new HeldParticles(connection, () => { asked++ })
    const seen: string[] = []
    held.particleSource.subscribe({ next: p => { seen.push(p.id) } })
    for (const id of ['a', 'b', 'c']) await arrive(connection, id)
    expect(asked).toBe(1)
    expect(held.waiting).toBe(3)
    expect(seen).toEqual([])
    held.open()
    expect(seen).toEqual(['a', 'b', 'c'])
    await arrive(connection, 'd')
    expect(seen).toEqual(['a', 'b', 'c', 'd'])
    expect(held.waiting).toBe(0)
    expect(asked).toBe(1)
  })

  it('holds at most its limit, counting the rest as rejected; dropped after a failed start, the next particle asks again', async () => {
    const connection = new ParticleConnection({ libp2p, log: testLog })
    let asked = 0
    const held = new HeldParticles(connection, () => { asked++ }, 2)
    for (const id of ['a', 'b', 'c', 'd']) await arrive(connection, id)
    expect(held.waiting).toBe(2)
    expect(connection.stats.rejected).toBe(2)
    held.drop()
    expect(held.waiting).toBe(0)
    expect(connection.stats.rejected).toBe(4)
    await arrive(connection, 'e')
    expect(asked).toBe(2)
    expect(held.waiting).toBe(1)
  })
})
