/**
 * The node's one libp2p host: TCP and WebSocket listeners, Noise, Yamux, identify and ping,
 * under the node's own identity, and a Kademlia DHT when asked (dht.ts). Later parts (gossip, sync, bitswap, the Fluence particle
 * protocol) register their protocols on `host.libp2p`. An offline node creates none.
 *
 * @example
 * ```ts
 * const host = createP2pHost({ privateKey, logger }, { host: '0.0.0.0', port: 5481 })
 * await host.start()
 * host.listenAddresses() // ['/ip4/…/tcp/5481/p2p/12D3KooW…', '/ip4/…/tcp/5482/ws/p2p/12D3KooW…']
 * await host.stop()
 * ```
 */
export { createLibp2pHost as createP2pHost } from './host.js'
export type { P2pHost, P2pHostComponents, P2pHostInit, PeerConnection, P2pServices } from './host.js'
export { DEFAULT_P2P_HOST, GOSSIP_MAX_MESSAGE_BYTES, GOSSIP_MAX_FRAME_BYTES, IPFS_BOOTSTRAP_PEERS, IPFS_DHT_PROTOCOL } from './constants.js'
export type { DhtNetwork, DhtService, P2pDhtInit } from './dht.js'
export { RELAY_DATA_LIMIT_BYTES, RELAY_DURATION_LIMIT_MS, RELAY_MAX_RESERVATIONS } from './constants.js'
export { offlineReachability } from './nat.js'
export type { NatInit, Reachability } from './nat.js'
export * from './errors.js'
export { dialTarget } from './dial-target.js'
export type { DialTarget } from './dial-target.js'
