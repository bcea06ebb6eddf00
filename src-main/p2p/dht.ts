import { bootstrap } from '@libp2p/bootstrap'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper } from '@libp2p/kad-dht'
import type { KadDHT } from '@libp2p/kad-dht'
import { ipnsSelector } from 'ipns/selector'
import { ipnsValidator } from 'ipns/validator'
import { IPFS_BOOTSTRAP_PEERS, IPFS_DHT_PROTOCOL } from './constants.js'

/**
 * Which Kademlia DHT the host joins.
 * - 'public': the IPFS network's (Amino) DHT, as Kubo does: its bootstrap peers, private
 *   addresses neither announced nor believed, and server mode only once the node has a publicly
 *   dialable address (kad-dht switches on its own as reachability changes).
 * - 'local': a private DHT of the peers this node is told about (the bootstrap list; tests on
 *   loopback): no public bootstrap, every address kept, and server mode at once, since every
 *   such peer can dial us.
 */
export type DhtNetwork = 'public' | 'local'

export interface P2pDhtInit {
  network: DhtNetwork
}

/** A SingleKadDHT (kad-dht's own type) with its routing table, which node_info counts. */
export type DhtService = KadDHT & { routingTable?: { size: number } }

/** The libp2p service that makes the host a DHT peer: IPFS's protocol, and IPNS records checked and chosen as Kubo does. */
export function dhtService (init: P2pDhtInit): ReturnType<typeof kadDHT> {
  const local = init.network === 'local'
  return kadDHT({
    protocol: IPFS_DHT_PROTOCOL,
    // Left unset (public), kad-dht serves queries only while the node has a public address.
    ...(local ? { clientMode: false } : {}),
    peerInfoMapper: local ? passthroughMapper : removePrivateAddressesMapper,
    validators: { ipns: ipnsValidator },
    selectors: { ipns: ipnsSelector },
  })
}

/** Peer discovery the DHT needs besides the node's own bootstrap list: the IPFS bootstrap peers, for the public DHT only. */
export function dhtDiscovery (init: P2pDhtInit | undefined): Array<ReturnType<typeof bootstrap>> {
  return init?.network === 'public' ? [bootstrap({ list: [...IPFS_BOOTSTRAP_PEERS], tagName: 'ipfs-bootstrap' })] : []
}
