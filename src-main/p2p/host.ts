import { noise } from '@chainsafe/libp2p-noise'
import { bootstrap } from '@libp2p/bootstrap'
import { gossipsub } from '@libp2p/gossipsub'
import type { GossipSub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import type { Identify } from '@libp2p/identify'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { ComponentLogger, Logger } from '@libp2p/logger'
import { mdns } from '@libp2p/mdns'
import { ping } from '@libp2p/ping'
import type { Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from 'libp2p'
import { choosePort } from '../ports/index.js'
import { AUTO_DIAL_MAX_CONNECTIONS, DIAL_TIMEOUT_MS, GOSSIP_MAX_FRAME_BYTES } from './constants.js'
import { dhtDiscovery, dhtService } from './dht.js'
import type { DhtService, P2pDhtInit } from './dht.js'
import { dialTarget } from './dial-target.js'
import { InvalidPeerAddressError, P2pNotStartedError, PeerUnreachableError } from './errors.js'
import { natListenAddresses, natServices, natTransports, reachability } from './nat.js'
import type { NatInit, NatServices, Reachability } from './nat.js'

export interface P2pHostComponents {
  privateKey: PrivateKey
  logger: ComponentLogger
}

export interface P2pHostInit {
  host: string
  /** Preferred TCP port; WebSocket listens on the next one. 0 lets the OS pick both. */
  port: number
  /** Find peers on the LAN by multicast DNS. */
  mdns?: boolean
  /** Multiaddrs (ending in /p2p/<peer id>) dialled at start and kept in touch with. */
  bootstrap?: string[]
  /** Peers refused at every connection step (hostile peers the node has cut off). */
  isDenied?(peerId: string): boolean
  /** Join a Kademlia DHT (dht.ts); none when absent. */
  dht?: P2pDhtInit
  /** False: no TCP/WebSocket listener, so peers reach the node only through a relay (as behind a NAT). */
  listen?: boolean
  /** Circuit relay service and its limits (nat.ts). */
  nat?: NatInit
  /** Public addresses the operator states (a server's IP or DNS name), announced as they are. */
  announce?: string[]
}

export interface PeerConnection {
  peer_id: string
  address: string
  direction: 'inbound' | 'outbound'
  opened_at: string
}

export type P2pServices = { identify: Identify, ping: Ping, pubsub: GossipSub, dht?: DhtService } & NatServices

export interface P2pHost {
  start(): Promise<void>
  stop(): Promise<void>
  isStarted(): boolean
  /** Full multiaddrs (with /p2p/<peer id>) other peers can dial. */
  listenAddresses(): string[]
  connections(): PeerConnection[]
  /** True when a preferred port was taken and the OS chose another. */
  readonly portsWereBusy: boolean
  /** Dials a peer by multiaddr (ending in /p2p/<peer id>); resolves to its peer id. */
  dial(address: string, options?: { signal?: AbortSignal }): Promise<string>
  /** Closes every connection to a peer. */
  hangUp(peerId: string): Promise<void>
  /** Whether peers on the internet can reach this node (AutoNAT's verdict, relay slots held). */
  reachability(): Reachability
  /** The libp2p node itself, for the protocols later parts register. */
  readonly libp2p: Libp2p<P2pServices>
}

class Libp2pHost implements P2pHost {
  private node: Libp2p<P2pServices> | undefined
  private busy = false
  private readonly log: Logger

  constructor (private readonly components: P2pHostComponents, private readonly init: P2pHostInit) {
    this.log = components.logger.forComponent('lineage:p2p')
  }

  get libp2p (): Libp2p<P2pServices> {
    if (this.node === undefined) throw new P2pNotStartedError()
    return this.node
  }

  get portsWereBusy (): boolean { return this.busy }
  isStarted (): boolean { return this.node !== undefined }

  async start (): Promise<void> {
    if (this.node !== undefined) return
    const { host, port } = this.init
    const listen = this.init.listen !== false
    const tcpPort = listen ? await choosePort(host, port) : 0
    const wsPort = port === 0 || !listen ? 0 : await choosePort(host, port + 1)
    this.busy = listen && port !== 0 && (tcpPort !== port || wsPort !== port + 1)
    const nat = this.init.nat ?? {}

    const bootstrapList = this.init.bootstrap ?? []
    const discovery = [
      ...(this.init.mdns === true ? [mdns()] : []),
      ...(bootstrapList.length > 0 ? [bootstrap({ list: bootstrapList })] : []),
      ...dhtDiscovery(this.init.dht),
    ]
    const denied = (peer: PeerId): boolean => this.init.isDenied?.(peer.toString()) === true

    const node = await createLibp2p({
      privateKey: this.components.privateKey,
      logger: this.components.logger,
      start: false,
      addresses: { listen: [...(listen ? [`/ip4/${host}/tcp/${tcpPort}`, `/ip4/${host}/tcp/${wsPort}/ws`] : []), ...natListenAddresses(nat)], appendAnnounce: this.init.announce ?? [] },
      transports: [tcp(), webSockets(), ...natTransports()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      peerDiscovery: discovery,
      connectionGater: {
        denyDialPeer: async peer => denied(peer),
        denyInboundEncryptedConnection: async peer => denied(peer),
        denyOutboundEncryptedConnection: async peer => denied(peer),
      },
      services: {
        identify: identify(),
        ping: ping(),
        // Messages are signed by the sending peer; replication's validator bounds each one.
        // Also over relayed (limited) connections, so a node behind a NAT hears and is heard.
        pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, emitSelf: false, maxInboundDataLength: GOSSIP_MAX_FRAME_BYTES, runOnLimitedConnection: true }),
        ...natServices(nat),
        ...(this.init.dht === undefined ? {} : { dht: dhtService(this.init.dht) }),
      },
    })
    // Discovered peers (LAN, bootstrap list) are dialled while the node has few connections.
    node.addEventListener('peer:discovery', event => {
      if (node.getConnections().length >= AUTO_DIAL_MAX_CONNECTIONS) return
      const peer = event.detail.id
      if (denied(peer) || node.getConnections(peer).length > 0) return
      node.dial(peer, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) }).catch(err => { this.log('could not dial discovered peer %p: %s', peer, (err as Error).message) })
    })
    await node.start()
    this.node = node
    this.log('listening on %s', this.listenAddresses().join(', '))
  }

  async dial (address: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    let target
    try {
      target = multiaddr(address)
    } catch (err) {
      throw new InvalidPeerAddressError(address, (err as Error).message)
    }
    const peerId = target.getComponents().find(c => c.name === 'p2p')?.value
    if (peerId === undefined) throw new InvalidPeerAddressError(address, 'it must end in /p2p/<peer id>')
    if (this.init.isDenied?.(peerId) === true) throw new PeerUnreachableError(address, 'this node cut that peer off for misbehaving')
    try {
      const connection = await this.libp2p.dial(dialTarget(target), { signal: options.signal ?? AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      return connection.remotePeer.toString()
    } catch (err) {
      throw new PeerUnreachableError(address, (err as Error).message)
    }
  }

  async hangUp (peerId: string): Promise<void> {
    const node = this.node
    if (node === undefined) return
    const connection = node.getConnections().find(c => c.remotePeer.toString() === peerId)
    if (connection === undefined) return
    await node.hangUp(connection.remotePeer)
  }

  async stop (): Promise<void> {
    const node = this.node
    if (node === undefined) return
    this.node = undefined
    await node.stop()
  }

  reachability (): Reachability {
    return reachability(this.libp2p.services, this.listenAddresses())
  }

  listenAddresses (): string[] {
    return this.node?.getMultiaddrs().map(ma => ma.toString()) ?? []
  }

  connections (): PeerConnection[] {
    return (this.node?.getConnections() ?? []).map(c => ({
      peer_id: c.remotePeer.toString(),
      address: c.remoteAddr.toString(),
      direction: c.direction,
      opened_at: new Date(c.timeline.open).toISOString(),
    }))
  }
}

export function createLibp2pHost (components: P2pHostComponents, init: P2pHostInit): P2pHost {
  return new Libp2pHost(components, init)
}
