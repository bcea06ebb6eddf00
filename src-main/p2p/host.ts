import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import type { Identify } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import type { ComponentLogger, Logger } from '@libp2p/logger'
import { ping } from '@libp2p/ping'
import type { Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from 'libp2p'
import { choosePort } from '../ports/index.js'
import { P2pNotStartedError } from './errors.js'

export interface P2pHostComponents {
  privateKey: PrivateKey
  logger: ComponentLogger
}

export interface P2pHostInit {
  host: string
  /** Preferred TCP port; WebSocket listens on the next one. 0 lets the OS pick both. */
  port: number
}

export interface PeerConnection {
  peer_id: string
  address: string
  direction: 'inbound' | 'outbound'
  opened_at: string
}

export type P2pServices = { identify: Identify, ping: Ping }

export interface P2pHost {
  start(): Promise<void>
  stop(): Promise<void>
  isStarted(): boolean
  /** Full multiaddrs (with /p2p/<peer id>) other peers can dial. */
  listenAddresses(): string[]
  connections(): PeerConnection[]
  /** True when a preferred port was taken and the OS chose another. */
  readonly portsWereBusy: boolean
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
    const tcpPort = await choosePort(host, port)
    const wsPort = port === 0 ? 0 : await choosePort(host, port + 1)
    this.busy = port !== 0 && (tcpPort !== port || wsPort !== port + 1)

    const node = await createLibp2p({
      privateKey: this.components.privateKey,
      logger: this.components.logger,
      start: false,
      addresses: { listen: [`/ip4/${host}/tcp/${tcpPort}`, `/ip4/${host}/tcp/${wsPort}/ws`] },
      transports: [tcp(), webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify(), ping: ping() },
    })
    await node.start()
    this.node = node
    this.log('listening on %s', this.listenAddresses().join(', '))
  }

  async stop (): Promise<void> {
    const node = this.node
    if (node === undefined) return
    this.node = undefined
    await node.stop()
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
