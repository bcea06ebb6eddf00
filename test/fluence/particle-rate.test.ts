// The per-peer particle rate limit: a peer flooding particles has the excess dropped unread
// (counted as rejected) while the node keeps answering another peer's Aqua calls.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/processes.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const RATE = 50
const FLOOD = 1_000

describe('particle rate limit per peer', () => {
  let node: TestNode
  let caller: TestNode
  let sender: ReturnType<typeof spawn>
  let lines: AsyncIterator<string>

  beforeAll(async () => {
    node = await startTestNode({ particleRateLimit: RATE })
    caller = await startTestNode()
    const tcp = node.node.status().listenAddresses.find(x => !x.includes('/ws/')) ?? ''
    sender = spawn(process.execPath, [path.join(repoRoot, 'test', 'fluence', 'fixtures', 'particle-sender.mjs'), tcp, '5000'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] })
    lines = createInterface({ input: sender.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]()
    expect((await lines.next()).value).toMatch(/^ready /)
  }, 120_000)

  afterAll(async () => {
    sender.stdin?.end()
    await Promise.all([node.stop(), caller.stop()])
  })

  it('drops what one peer sends past its rate, unread, and keeps serving other peers', async () => {
    const fluence = node.node.fluence
    if (fluence === undefined) throw new Error('no Fluence peer')
    const before = fluence.status().particles
    const started = performance.now()
    sender.stdin?.write(`send ${FLOOD}\n`)
    expect((await lines.next()).value).toBe(`sent ${FLOOD}`)
    // Written is not yet read: wait until the node has looked at every particle.
    const seen = (): number => { const p = fluence.status().particles; return p.received - before.received + p.rejected - before.rejected }
    await expect.poll(seen, { timeout: 30_000 }).toBe(FLOOD)
    const seconds = (performance.now() - started) / 1000
    const after = fluence.status().particles
    const accepted = after.received - before.received
    const dropped = after.rejected - before.rejected
    // A full bucket (twice the rate) plus what refilled while the flood lasted; a little slack for
    // the time between the bucket's first token and the measurement.
    expect(accepted).toBeLessThanOrEqual(2 * RATE + Math.ceil(seconds * RATE) + RATE)
    expect(dropped).toBeGreaterThan(0)

    // Another peer's Aqua call still gets its answer from the flooded node.
    const address = node.node.status().listenAddresses.find(x => !x.includes('/ws/')) ?? ''
    const remote = caller.node.fluence
    if (remote === undefined) throw new Error('no Fluence peer')
    const { result } = await remote.call(address, async (aqua, peerId) => await aqua.node_info(remote.peer, peerId))
    expect(result.peer_id).toBe(node.node.peerId)
  })
})
