// A private IPFS DHT on loopback for tests: stock libp2p nodes running kad-dht on the IPFS
// protocol in server mode (as public DHT servers are), and a stock Helia that joins it through one
// of them. No public bootstrap, no mDNS: each node knows only the peers it is given.
import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createHelia } from 'helia'
import { ipnsSelector } from 'ipns/selector'
import { ipnsValidator } from 'ipns/validator'
import { createLibp2p } from 'libp2p'
import { dialTarget } from '../../src-main/p2p/index.js'

const DHT = () => kadDHT({ protocol: '/ipfs/kad/1.0.0', clientMode: false, peerInfoMapper: passthroughMapper, validators: { ipns: ipnsValidator }, selectors: { ipns: ipnsSelector } })

const TRANSPORT = {
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery: [],
}

export type DhtPeer = Awaited<ReturnType<typeof startDhtPeer>>

/** A DHT server and nothing else (no bitswap: it holds no content, only routing records). */
export async function startDhtPeer () {
  return await createLibp2p({ ...TRANSPORT, services: { identify: identify(), ping: ping(), dht: DHT() } })
}

/** `count` DHT servers, each dialled to the ones before it, so they form one network. */
export async function startDhtPeers (count: number): Promise<DhtPeer[]> {
  const peers: DhtPeer[] = []
  for (let i = 0; i < count; i++) {
    const peer = await startDhtPeer()
    for (const earlier of peers) await peer.dial(dialTarget(multiaddr(addressOf(earlier))))
    peers.push(peer)
  }
  return peers
}

/** The TCP address of a libp2p node, with its peer id. */
export function addressOf (node: { getMultiaddrs(): Array<{ toString(): string }> }): string {
  const address = node.getMultiaddrs().map(a => a.toString()).find(a => a.includes('/tcp/') && !a.includes('/ws'))
  if (address === undefined) throw new Error('the node listens on no TCP address')
  return address
}

/** createHelia with the DHT (its default content and peer routing) on loopback TCP: no bootstrap, mDNS, delegated routers or gateways. */
export async function startDhtHelia () {
  const helia = await createHelia({
    libp2p: { ...TRANSPORT, services: { identify: identify(), ping: ping(), dht: DHT() } },
    http: { delegatedRouters: [], recursiveGateways: [] },
  })
  await helia.start()
  return helia
}
