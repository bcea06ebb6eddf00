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
