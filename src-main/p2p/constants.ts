/**
 * Peers on the LAN and the internet must be able to reach the node, so libp2p listens on every
 * interface (unlike the API, which is loopback only). Tests and locked-down setups pass 127.0.0.1.
 */
export const DEFAULT_P2P_HOST = '0.0.0.0'

/** How long dialling one peer may take before it counts as unreachable. */
export const DIAL_TIMEOUT_MS = 10_000

/** Peers found by mDNS or the bootstrap list are dialled only while the node has fewer connections than this. */
export const AUTO_DIAL_MAX_CONNECTIONS = 50

/** The largest gossip message accepted: one signed transaction (limits in lineage/signing) with room for framing. Larger ones get their sender cut off. */
export const GOSSIP_MAX_MESSAGE_BYTES = 256 * 1024

/**
 * The largest gossipsub frame read. A frame can carry several messages (IWANT answers), so it is
 * well above one message: an oversized message then reaches our validator, which cuts its sender
 * off, instead of making gossipsub stop reading an honest peer's frames.
 */
export const GOSSIP_MAX_FRAME_BYTES = 4 * 1024 * 1024

/** The IPFS network's Kademlia DHT protocol (Kubo, Helia, public gateways): the one the node speaks when its DHT is on. */
export const IPFS_DHT_PROTOCOL = '/ipfs/kad/1.0.0'

/**
 * Kubo's default bootstrap peers (config/bootstrap_peers.go), through which a node joins the public
 * IPFS DHT. Dialled only with the DHT on and on a non-loopback host.
 */
export const IPFS_BOOTSTRAP_PEERS = [
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN',
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb',
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmcZf59bWwK5XFi76CZX8cbJ4BhTzzA3gU1ZjYZcYW3dwt',
  '/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ',
] as const

/**
 * Circuit relay v2 service (`--relay-service`, off by default). Peers that may hold a slot on
 * this node at once; the (n+1)th gets RESERVATION_REFUSED. `--relay-max-reservations` changes it.
 */
export const RELAY_MAX_RESERVATIONS = 32

/** How long a reservation lasts; holders refresh it before it ends, a gone peer's slot frees by then. */
export const RELAY_RESERVATION_TTL_MS = 60 * 60_000

/**
 * Bytes one relayed connection may carry (both directions together) before the relay resets it.
 * libp2p's default (128 KiB) only suits hole punching; this lets a sync page or a few bitswap
 * blocks through, and a peer that needs more dials again (sync resumes where it stopped).
 */
export const RELAY_DATA_LIMIT_BYTES = 32 * 1024 * 1024

/** How long one relayed connection may stay open before the relay resets it (DCUtR has long upgraded it by then where it can). */
export const RELAY_DURATION_LIMIT_MS = 10 * 60_000

/** Relayed connections open at once to one peer holding a slot (STOP streams on its connection). */
export const RELAY_MAX_CIRCUITS_PER_PEER = 16

/**
 * Relays a node that does not offer the service reserves a slot on at once: one `/p2p-circuit`
 * listen address asks for one reservation, found among connected peers that speak the hop protocol.
 */
export const RELAY_RESERVATIONS_WANTED = 1
