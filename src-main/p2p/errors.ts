/** The libp2p host was used before start() or after stop(). */
export class P2pNotStartedError extends Error {
  override readonly name = 'P2pNotStartedError'
  constructor () {
    super('The peer-to-peer host is not running (the node is offline or stopped).')
  }
}

/** A peer address that is not a multiaddr this node can dial. */
export class InvalidPeerAddressError extends Error {
  override readonly name = 'InvalidPeerAddressError'
  constructor (readonly address: string, why: string) {
    super(`"${address}" is not a peer address this node can dial: ${why}. Expected something like /ip4/192.168.1.20/tcp/5481/p2p/12D3KooW…`)
  }
}

/** Dialling a peer failed (refused, timed out, wrong peer id, cut off). */
export class PeerUnreachableError extends Error {
  override readonly name = 'PeerUnreachableError'
  constructor (readonly address: string, why: string) {
    super(`Could not connect to ${address}: ${why}. Check that the other node is running and reachable from this computer.`)
  }
}
