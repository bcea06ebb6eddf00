/**
 * Peers on the LAN and the internet must be able to reach the node, so libp2p listens on every
 * interface (unlike the API, which is loopback only). Tests and locked-down setups pass 127.0.0.1.
 */
export const DEFAULT_P2P_HOST = '0.0.0.0'
