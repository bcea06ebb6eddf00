import { noise } from '@chainsafe/libp2p-noise'
import * as dagCbor from '@ipld/dag-cbor'
import { gossipsub } from '@libp2p/gossipsub'
import type { GossipSub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import type { Identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from 'libp2p'
import { dialTarget } from '../../src-main/p2p/index.js'
import { SYNC_PROTOCOL } from '../../src-main/replication/index.js'
import type { TestNode } from '../helpers/test-node.js'

export type HostilePeer = Libp2p<{ identify: Identify, pubsub: GossipSub }>

/**
 * A stock libp2p node built the way our host builds its own (TCP, noise, yamux, identify,
 * gossipsub), which the tests drive to misbehave.
 */
export async function hostilePeer (): Promise<HostilePeer> {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, emitSelf: false }),
    },
  })
}

/** The node's TCP address (with its peer id). */
export function tcpAddress (n: TestNode): string {
  return n.node.status().listenAddresses.find(x => !x.includes('/ws')) ?? ''
}

/**
 * libp2p refuses more than 5 inbound connections a second from one host (its
 * inboundConnectionThreshold), and every peer of these tests is 127.0.0.1: a dial that is reset
 * waits for the next second and tries again.
 */
const DIAL_RETRY_PAUSE_MS = 1100

export async function retryingDial<T> (dial: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dial()
    } catch (err) {
      if (attempt >= 5) throw err
      await new Promise(resolve => setTimeout(resolve, DIAL_RETRY_PAUSE_MS))
    }
  }
}

export async function dialNode (peer: HostilePeer, n: TestNode): Promise<void> {
  await retryingDial(async () => await peer.dial(dialTarget(multiaddr(tcpAddress(n)))))
}

/** What the hostile sync server answers to each request; bytes go out as they are (already framed or not). */
export type Answerer = (request: Record<string, unknown>) => Uint8Array | Record<string, unknown>

/**
 * Serves SYNC_PROTOCOL from the hostile peer: each request is decoded (it comes from our honest
 * client) and answered with what `answer` returns, dag-cbor encoded and length-prefixed unless it
 * is raw bytes (a malformed answer).
 */
export async function serveSync (peer: HostilePeer, answer: Answerer): Promise<void> {
  await peer.handle(SYNC_PROTOCOL, async stream => {
    const lp = lpStream(stream)
    try {
      while (true) {
        const request = dagCbor.decode<Record<string, unknown>>((await lp.read()).subarray())
        const reply = answer(request)
        await lp.write(reply instanceof Uint8Array ? reply : dagCbor.encode(reply))
      }
    } catch {
      stream.abort(new Error('the hostile server is done'))
    }
  })
}

export function transactionCount (n: TestNode): number {
  return (n.node.store.db.prepare('SELECT count(*) AS n FROM transactions').get() as { n: number }).n
}

/** An unsigned LEB128 varint, the length prefix of the sync protocol, for sizes beyond 32 bits too. */
export function varint (value: number): Uint8Array {
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return Uint8Array.from(bytes)
}
