import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What libp2p's `dial`, `dialProtocol` and `ping` take. */
export type DialTarget = Parameters<Libp2p['dial']>[0]

/**
 * A multiaddr as libp2p's `dial` takes it. The override that lets stock js-client dial us makes
 * npm nest an older @multiformats/multiaddr under @libp2p/interface on a fresh install. That
 * package uses it only for types (its JavaScript never imports it), so the value is the same and
 * only the declared type differs.
 */
export function dialTarget (address: Multiaddr): DialTarget {
  return address as unknown as DialTarget
}
