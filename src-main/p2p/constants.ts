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
