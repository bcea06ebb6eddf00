import net from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { createP2pHost, dialTarget } from '../../src-main/p2p/index.js'
import type { P2pHost } from '../../src-main/p2p/index.js'
import { createLineageNode, readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { callRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('libp2p host', () => {
  const hosts: P2pHost[] = []
  afterEach(async () => { for (const h of hosts.splice(0)) await h.stop() })
  const make = async (port = 0): Promise<P2pHost> => {
    const host = createP2pHost({ privateKey: await generateKeyPair('Ed25519'), logger: testLogger }, { host: '127.0.0.1', port })
    hosts.push(host)
    await host.start()
    return host
  }

  it('listens on TCP and WebSocket and is reachable over both, with ping', async () => {
    const a = await make()
    const b = await make()
    const addresses = a.listenAddresses()
    const peerId = a.libp2p.peerId.toString()
    expect(addresses.filter(x => x.includes('/ws/'))).toHaveLength(1)
    expect(addresses.filter(x => !x.includes('/ws/'))).toHaveLength(1)
    for (const address of addresses) expect(address).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+(/ws)?/p2p/${peerId}$`))

    for (const address of addresses) {
      const rtt = await b.libp2p.services.ping.ping(dialTarget(multiaddr(address)))
      expect(rtt).toBeGreaterThanOrEqual(0)
    }
    const inbound = a.connections()
    expect(inbound.length).toBeGreaterThanOrEqual(1)
    expect(inbound.every(c => c.peer_id === b.libp2p.peerId.toString() && c.direction === 'inbound')).toBe(true)
    expect(b.connections().every(c => c.direction === 'outbound')).toBe(true)
  })

  it('takes another port when the preferred one is busy, and says so', async () => {
    const blocker = net.createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    const busy = (blocker.address() as net.AddressInfo).port
    try {
      const host = await make(busy)
      expect(host.portsWereBusy).toBe(true)
      expect(host.listenAddresses().some(a => a.includes(`/tcp/${busy}/`))).toBe(false)
    } finally {
      blocker.close()
    }
  })

  it('stops listening on stop and can start again', async () => {
    const a = await make()
    const b = await make()
    const address = a.listenAddresses()[0] ?? ''
    await a.stop()
    expect(a.isStarted()).toBe(false)
    expect(a.listenAddresses()).toEqual([])
    await expect(b.libp2p.dial(dialTarget(multiaddr(address)), { signal: AbortSignal.timeout(5000) })).rejects.toThrow()
    await a.start()
    expect(a.listenAddresses()).toHaveLength(2)
  })
})

describe('the node\'s peer-to-peer face', () => {
  const nodes: LineageNode[] = []
  const cleanups: Array<() => void> = []
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop()
    for (const c of cleanups.splice(0)) c()
  })
  const token = (node: LineageNode): string => readApiToken(node.config.dataDir) ?? ''
  const start = async (extra = {}): Promise<LineageNode> => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const node = createLineageNode(testNodeConfig(t.dir, extra), { logger: testLogger })
    nodes.push(node)
    await node.start()
    return node
  }

  it('reports its listen addresses and connections through node_info and peers', async () => {
    const a = await start()
    const b = await start()
    const url = (a.status().apiUrl ?? '') + '/rpc'
    const info = (await callRpc(url, 'node_info', undefined, token(a)) as { result: { p2p: { listen_addresses: string[], connections: number } } }).result
    expect(info.p2p.listen_addresses).toHaveLength(2)
    expect(info.p2p.listen_addresses.every(x => x.endsWith(`/p2p/${a.peerId ?? ''}`))).toBe(true)
    expect(info.p2p.connections).toBe(0)

    await b.p2p?.libp2p.dial(dialTarget(multiaddr(info.p2p.listen_addresses[0] ?? '')))
    const peers = (await callRpc(url, 'peers', undefined, token(a)) as { result: Array<{ peer_id: string, direction: string }> }).result
    expect(peers).toEqual([expect.objectContaining({ peer_id: b.peerId, direction: 'inbound' })])
    expect((await callRpc(url, 'node_info', undefined, token(a)) as { result: { p2p: { connections: number } } }).result.p2p.connections).toBe(1)
  })

  it('offline: no libp2p host at all, and peers is empty', async () => {
    const node = await start({ offline: true })
    expect(node.p2p).toBeUndefined()
    const url = (node.status().apiUrl ?? '') + '/rpc'
    expect((await callRpc(url, 'node_info', undefined, token(node)) as { result: { offline: boolean, p2p: unknown } }).result).toMatchObject({ offline: true, p2p: null })
    expect((await callRpc(url, 'peers', undefined, token(node)) as { result: unknown[] }).result).toEqual([])
  })
})
