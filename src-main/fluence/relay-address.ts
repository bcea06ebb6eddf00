import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import { PeerAddressError } from './errors.js'

// Its own file so that the node's config checks addresses without loading libp2p (relay.ts does).
/** The peer id at the end of a multiaddr (/p2p/<id>); throws PeerAddressError without one. */
export function relayPeerIdOf (address: Multiaddr | string): string {
  let ma: Multiaddr
  try {
    ma = typeof address === 'string' ? multiaddr(address) : address
  } catch {
    throw new PeerAddressError(String(address))
  }
  const id = ma.getComponents().findLast(c => c.name === 'p2p')?.value
  if (id === undefined) throw new PeerAddressError(ma.toString())
  return id
}
