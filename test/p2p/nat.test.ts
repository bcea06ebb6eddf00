import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pbStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
// The relay's own wire codec (not exported by the package), so these tests speak hop exactly as any peer would.
import { HopMessage } from '../../node_modules/@libp2p/circuit-relay-v2/dist/src/pb/index.js'
import { resolveConfig } from '../../src-main/node/index.js'
import { createP2pHost, dialTarget, RELAY_DATA_LIMIT_BYTES, RELAY_DURATION_LIMIT_MS } from '../../src-main/p2p/index.js'
import type { P2pHost, P2pHostInit } from '../../src-main/p2p/index.js'
import { AUTONAT_PROTOCOL, reachability } from '../../src-main/p2p/nat.js'
import type { NatServices } from '../../src-main/p2p/nat.js'
import { testLogger } from '../helpers/logger.js'
import { waitFor } from '../helpers/wait-for.js'

/** Hosts in this process: poll at a gentle pace. */
const POLL = { timeoutMs: 20_000, intervalMs: 100 }

const HOP = '/libp2p/circuit/relay/0.2.0/hop'

describe('circuit relay service and its limits (libp2p hosts on 127.0.0.1)', () => {
  const hosts: P2pHost[] = []
  afterEach(async () => { for (const h of hosts.splice(0)) await h.stop() })
  const make = async (init: Partial<P2pHostInit> = {}): Promise<P2pHost> => {
    const host = createP2pHost({ privateKey: await generateKeyPair('Ed25519'), logger: testLogger }, { host: '127.0.0.1', port: 0, ...init })
    hosts.push(host)
    await host.start()
    return host
  }
  const tcpAddress = (host: P2pHost): string => host.listenAddresses().find(a => !a.includes('/ws') && !a.includes('/p2p-circuit')) ?? ''

  /** One hop request from `from` to the relay, answered by the relay's STATUS message. */
  async function hop (from: P2pHost, relay: P2pHost, request: HopMessage): Promise<HopMessage> {
    const stream = await from.libp2p.dialProtocol(dialTarget(multiaddr(tcpAddress(relay))), HOP)
    const messages = pbStream(stream).pb(HopMessage)
    await messages.write(request)
    const answer = await messages.read()
    await stream.close()
    return answer
  }

  it('is off by default: a node speaks no hop protocol, and a hop request to it is refused as unsupported', async () => {
    const plain = await make()
    const other = await make()
    expect(plain.libp2p.getProtocols()).not.toContain(HOP)
    // Every node speaks DCUtR and the relay's stop protocol, and asks AutoNAT questions without
    // answering them (the js AutoNAT v1 server closes the asker's connection; nat.ts says why).
    expect(plain.libp2p.getProtocols()).toEqual(expect.arrayContaining(['/libp2p/dcutr', '/libp2p/circuit/relay/0.2.0/stop']))
    expect(plain.libp2p.getProtocols()).not.toContain(AUTONAT_PROTOCOL)
    expect(plain.reachability().relay_service).toBe(false)
    const error = await other.libp2p.dialProtocol(dialTarget(multiaddr(tcpAddress(plain))), HOP).then(() => null, (err: Error) => err)
    expect(error?.name).toBe('UnsupportedProtocolError')
  })

  it('gives max reservations and refuses the next; a holder refreshes its slot; each slot carries the data and time limits', async () => {
    const relay = await make({ nat: { relayService: true, relayMaxReservations: 1 } })
    expect(relay.reachability().relay_service).toBe(true)
    const laptop = await make({ listen: false, bootstrap: [tcpAddress(relay)] })
    await waitFor('the laptop to hold a slot', () => laptop.reachability().status === 'relayed', POLL)
    expect(laptop.reachability().relays).toEqual([relay.libp2p.peerId.toString()])

    const slots = relay.libp2p.services.circuitRelay?.reservations
    expect(slots?.size).toBe(1)
    const limit = slots?.get(laptop.libp2p.peerId)?.limit
    expect(limit).toEqual({ data: BigInt(RELAY_DATA_LIMIT_BYTES), duration: RELAY_DURATION_LIMIT_MS })

    // The (n+1)th peer asking is refused, and holds nothing.
    const second = await make()
    const refused = await hop(second, relay, { type: HopMessage.Type.RESERVE })
    expect(refused.type).toBe(HopMessage.Type.STATUS)
    expect(refused.status).toBe('RESERVATION_REFUSED')
    expect(refused.reservation).toBeUndefined()
    expect(slots?.has(second.libp2p.peerId)).toBe(false)
    expect(slots?.size).toBe(1)

    // The holder asking again refreshes its own slot: still one.
    const refreshed = await hop(laptop, relay, { type: HopMessage.Type.RESERVE })
    expect(refreshed.status).toBe('OK')
    expect(slots?.size).toBe(1)
  })

  it('connects only to peers holding a slot: no way through it to other addresses, such as the API port', async () => {
    const relay = await make({ nat: { relayService: true } })
    const asker = await make()
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    for (const target of [stranger, relay.libp2p.peerId]) {
      // Any TCP address a peer names (here a local HTTP port) is never dialled: only reserved peers' connections are used.
      const answer = await hop(asker, relay, { type: HopMessage.Type.CONNECT, peer: { id: target.toMultihash().bytes, addrs: [multiaddr('/ip4/127.0.0.1/tcp/5480').bytes] } })
      expect(answer.status).toBe('NO_RESERVATION')
    }
    expect(relay.connections().every(c => c.peer_id === asker.libp2p.peerId.toString())).toBe(true)
  })

  it('a node with no listener and no relay is unreachable; one that is offered no slot stays so', async () => {
    const plain = await make()
    const alone = await make({ listen: false, bootstrap: [tcpAddress(plain)] })
    await waitFor('the connection', () => alone.connections().length > 0, POLL)
    expect(alone.listenAddresses()).toEqual([])
    expect(alone.reachability()).toEqual({ status: 'unreachable', public_addresses: [], relay_addresses: [], relay_service: false, relays: [] })
  })

  it('announces the public addresses the operator states, and says it is reachable directly', async () => {
    const server = await make({ announce: ['/ip4/203.0.114.7/tcp/5481', '/dns4/relay.example.org/tcp/5481'] })
    const id = server.libp2p.peerId.toString()
    expect(server.listenAddresses()).toContain(`/ip4/203.0.114.7/tcp/5481/p2p/${id}`)
    expect(server.reachability()).toEqual({
      status: 'public',
      public_addresses: [`/ip4/203.0.114.7/tcp/5481/p2p/${id}`, `/dns4/relay.example.org/tcp/5481/p2p/${id}`],
      relay_addresses: [],
      relay_service: false,
      relays: [],
    })
  })

  it('refuses bad announce addresses, a relay service that cannot be dialled (no listener), and zero slots', () => {
    for (const address of ['203.0.113.7:5481', '/ip4/203.0.113.7/tcp/5481/p2p/12D3KooWRwVp8GmkKA9XjS8CFtaFQUygXSPpXwn4UvhqhrYBT7Xb']) {
      const bad = (() => { try { resolveConfig({ p2pAnnounce: [address] }); return null } catch (err) { return err as Error } })()
      expect(bad?.name).toBe('ConfigError')
      expect(bad?.message).toContain('p2pAnnounce')
    }
    const error = (() => { try { resolveConfig({ circuitRelayService: true, p2pListen: false }); return null } catch (err) { return err as Error } })()
    expect(error?.name).toBe('ConfigError')
    expect(error?.message).toContain('circuitRelayService')
    const zero = (() => { try { resolveConfig({ circuitRelayMaxReservations: 0 }); return null } catch (err) { return err as Error } })()
    expect(zero?.name).toBe('ConfigError')
  })
})

describe('the reachability rule (AutoNAT verdicts on the address manager, relay slots)', () => {
  const self = '12D3KooWJtVzUCdiHNtACrmtfnMb43nvEYAZ3EU77WwLtBtEc1KJ'
  const relay = '12D3KooWRwVp8GmkKA9XjS8CFtaFQUygXSPpXwn4UvhqhrYBT7Xb'
  const now = 1_000_000
  const book = (addresses: Array<{ address: string, verified: boolean, expires: number }>): NatServices => ({
    autoNAT: undefined,
    dcutr: undefined,
    addressBook: { addresses: () => addresses.map(a => ({ multiaddr: multiaddr(a.address), verified: a.verified, expires: a.expires })) },
  })
  const lan = { address: '/ip4/192.168.1.20/tcp/5481', verified: true, expires: now + 1 }
  const wan = '/ip4/203.0.114.7/tcp/5481'
  const circuit = `/ip4/198.51.99.1/tcp/5481/p2p/${relay}/p2p-circuit/p2p/${self}`

  it('public once AutoNAT confirmed a public address (even with a relay slot)', () => {
    const r = reachability(book([lan, { address: wan, verified: true, expires: now + 1 }]), [`${wan}/p2p/${self}`, circuit], now)
    expect(r).toEqual({ status: 'public', public_addresses: [`${wan}/p2p/${self}`], relay_addresses: [circuit], relay_service: false, relays: [relay] })
  })

  it('relayed with a slot and no confirmed public address', () => {
    const r = reachability(book([lan, { address: wan, verified: false, expires: 0 }]), [`/ip4/192.168.1.20/tcp/5481/p2p/${self}`, circuit], now)
    expect(r.status).toBe('relayed')
    expect(r.relays).toEqual([relay])
    expect(r.public_addresses).toEqual([])
  })

  it('unknown while a public address waits for its check; unreachable once refused, or with only private addresses', () => {
    expect(reachability(book([lan, { address: wan, verified: false, expires: 0 }]), [], now).status).toBe('unknown')
    expect(reachability(book([lan, { address: wan, verified: false, expires: now + 60_000 }]), [], now).status).toBe('unreachable')
    expect(reachability(book([lan]), [`/ip4/192.168.1.20/tcp/5481/p2p/${self}`], now).status).toBe('unreachable')
  })
})
