import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NodeInfo, PeerConnectionInfo } from '../../src-main/api/index.js'
import { startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

/**
 * DCUtR with public-looking addresses. libp2p only tries a direct connection to public
 * addresses, so the three nodes run in a network namespace of their own whose loopback holds
 * 11.0.0.1 (relay R) and 11.0.0.3 (server C), both stated with --p2p-announce. L listens on
 * nothing (behind a router) and holds a slot on R. C dials L through R; L, on the inbound relayed
 * connection, dials C's public address directly (DCUtR's unilateral upgrade) and the relayed one
 * closes. Skipped, with the reason, where namespaces cannot be made.
 */
const ns = `lin-dcutr-${process.pid % 100000}`
const ip = (...args: string[]): { ok: boolean, why: string } => {
  const run = spawnSync('ip', args, { encoding: 'utf8' })
  return { ok: run.status === 0, why: `${run.stderr ?? ''}${run.error?.message ?? ''}`.trim() }
}

function makeNamespace (): string | null {
  for (const step of [['netns', 'add', ns], ['-n', ns, 'link', 'set', 'lo', 'up'], ['-n', ns, 'addr', 'add', '11.0.0.1/32', 'dev', 'lo'], ['-n', ns, 'addr', 'add', '11.0.0.3/32', 'dev', 'lo']]) {
    const run = ip(...step)
    if (!run.ok) {
      ip('netns', 'del', ns)
      return `ip ${step.join(' ')}: ${run.why}`
    }
  }
  return null
}

const refused = makeNamespace()
if (refused !== null) console.warn(`Skipping the DCUtR namespace test: cannot create a network namespace here (${refused}).`)

/** A JSON-RPC call to a node inside the namespace (its API listens on the namespace's 127.0.0.1). */
function rpc<T> (node: StartedNode, method: string, params: unknown[] = []): T {
  const script = 'fetch(process.argv[1], { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer " + process.argv[2] }, body: process.argv[3] }).then(r => r.text()).then(t => process.stdout.write(t))'
  const run = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', script, `${node.url}/rpc`, node.token, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })], { encoding: 'utf8' })
  const answer = JSON.parse(run.stdout) as { result?: T, error?: { message: string } }
  if (answer.error !== undefined) throw new Error(`${method}: ${answer.error.message}`)
  return answer.result as T
}

/** Each check runs commands in the namespace: poll at a gentle pace. */
const POLL = { timeoutMs: 30_000, intervalMs: 300 }

describe.skipIf(refused !== null)('DCUtR: a relayed connection becomes direct where one side is public (network namespace)', () => {
  const dirs = { r: tempDir(), l: tempDir(), c: tempDir() }
  const started: StartedNode[] = []
  const inNs = ['ip', 'netns', 'exec', ns]
  const base = ['--rpc-port', '0', '--p2p-port', '5481', '--no-mdns']
  let relay: StartedNode
  let laptop: StartedNode
  let server: StartedNode

  beforeAll(async () => {
    ;[relay, server] = await Promise.all([
      startNodeProcess([...base, '--data-dir', dirs.r.dir, '--p2p-host', '11.0.0.1', '--p2p-announce', '/ip4/11.0.0.1/tcp/5481', '--relay-service'], 60_000, inNs),
      startNodeProcess([...base, '--data-dir', dirs.c.dir, '--p2p-host', '11.0.0.3', '--p2p-announce', '/ip4/11.0.0.3/tcp/5481'], 60_000, inNs),
    ])
    started.push(relay, server)
    laptop = await startNodeProcess([...base, '--data-dir', dirs.l.dir, '--no-listen', '--bootstrap', `/ip4/11.0.0.1/tcp/5481/p2p/${relay.peerId}`], 60_000, inNs)
    started.push(laptop)
  }, 120_000)

  afterAll(async () => {
    for (const n of started) n.child.kill('SIGTERM')
    await Promise.all(started.map(async n => await n.exited))
    ip('netns', 'del', ns)
    for (const d of Object.values(dirs)) d.cleanup()
  })

  it('C dials L through R, then L dials C directly and the relayed connection closes', async () => {
    expect(rpc<NodeInfo>(server, 'node_info').reachability.status).toBe('public')
    await waitFor('L to hold a slot on R', () => rpc<NodeInfo>(laptop, 'node_info').reachability.status === 'relayed', { ...POLL, detail: () => `${JSON.stringify(rpc<NodeInfo>(laptop, 'node_info').reachability)} ${JSON.stringify(rpc(laptop, 'peers'))}\n${laptop.output()}` })
    const relayed = rpc<NodeInfo>(laptop, 'node_info').reachability.relay_addresses.find(a => a.startsWith('/ip4/11.0.0.1/tcp/5481/')) ?? ''
    expect(relayed).toBe(`/ip4/11.0.0.1/tcp/5481/p2p/${relay.peerId}/p2p-circuit/p2p/${laptop.peerId}`)

    expect(rpc<{ peer_id: string }>(server, 'peer_connect', [relayed])).toEqual({ peer_id: laptop.peerId })
    const toLaptop = (): PeerConnectionInfo[] => rpc<PeerConnectionInfo[]>(server, 'peers').filter(p => p.peer_id === laptop.peerId)
    await waitFor('a direct connection from L', () => toLaptop().some(p => !p.address.includes('/p2p-circuit')), POLL)
    await waitFor('the relayed connection to close', () => toLaptop().every(p => !p.address.includes('/p2p-circuit')), POLL)
    // L opened it (it can dial out, nothing can dial in): inbound at C, outbound at L, to C's public address.
    expect(toLaptop().every(p => p.direction === 'inbound')).toBe(true)
    const atLaptop = rpc<PeerConnectionInfo[]>(laptop, 'peers').filter(p => p.peer_id === server.peerId)
    expect(atLaptop.map(p => [p.direction, p.address])).toEqual([['outbound', `/ip4/11.0.0.3/tcp/5481/p2p/${server.peerId}`]])
  }, 90_000)
})
