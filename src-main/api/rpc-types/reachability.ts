/**
 * Whether peers on the internet can open a connection to the node (node_info.reachability).
 * 'public': AutoNAT confirmed a public address, or the operator stated one (--p2p-announce).
 * 'relayed': none of those, but a circuit relay
 * holds a slot for the node. 'unknown': a public address still waits for AutoNAT's check.
 * 'unreachable': none of these (only private addresses, or all refused). 'offline': no host.
 */
export interface ReachabilityInfo {
  status: 'public' | 'relayed' | 'unreachable' | 'unknown' | 'offline'
  /** Public addresses another peer dialled back to (AutoNAT) or stated with --p2p-announce, each ending in /p2p/<peer id>. */
  public_addresses: string[]
  /** `…/p2p/<relay>/p2p-circuit/p2p/<peer id>` addresses through the relays holding a slot. */
  relay_addresses: string[]
  /** This node offers the circuit relay service to other nodes. */
  relay_service: boolean
  /** Peer ids of the relays this node holds a reservation with. */
  relays: string[]
}
