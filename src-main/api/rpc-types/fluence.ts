/** The embedded Fluence peer, as node_info reports it and the peer_* methods answer. Types only. */

export interface FluenceRelayInfo {
  /** The multiaddr the node was told to join through (`--relay`). */
  address: string
  peer_id: string
  state: 'connecting' | 'connected' | 'unreachable'
  /** Why the last attempt failed; null once connected. */
  last_error: string | null
  attempts: number
  next_attempt_at: string | null
}

export interface FluenceInfo {
  peer_id: string
  /** Marine (Wasm) and JS services the peer hosts for Aqua callers. */
  services: { marine: string[], js: string[] }
  /** Peers with an open connection to this node. */
  connected_peers: string[]
  relay: FluenceRelayInfo | null
  particles: {
    sent: number
    received: number
    /** Malformed, badly signed, or outside the time bounds: dropped. */
    rejected: number
    sendFailures: number
    abortedStreams: number
    /** Particles still held (until their TTL). */
    in_flight: number
    /** AquaVM runs finished since start. */
    avm_runs: number
  }
}

export interface PeerNodeInfo { peer_id: string, version: string, state: string, schema_version: number, offline: boolean }

export interface PeerMetadataInfo {
  peer_id: string
  found: boolean
  token_key: string
  data_key: string
  /** The tokenURI document the peer serves; null when it has none. */
  metadata: unknown
  error: string
}

export interface PeerVersionInfo { cid: string, previous: string, timestamp: number, content: unknown, tx_hash: string, method: string, public_key: string }
export interface PeerSlotHistoryInfo { found: boolean, meta_contract_id: string, public_key: string, alias: string, version: string, head: string, versions: PeerVersionInfo[], next_cursor: string }
export interface PeerTokenHistoryInfo { peer_id: string, found: boolean, data_key: string, slots: PeerSlotHistoryInfo[] }
export interface PeerCollectionInfo { peer_id: string, found: boolean, token_key: string, items: Array<{ token_id: string, data_key: string, slots: number, updated_at: number }>, next_cursor: string, total: number, error: string }

export interface PeerCopyInfo {
  peer_id: string
  roots: string[]
  /** Blocks received, each checked against its CID. */
  blocks: number
  bytes: number
  /** The import of the verified CAR: transactions replayed through this node's contracts. */
  transactions: { total: number, applied: number, rejected: number, known: number }
  /** The peer's slot heads for the collection, and how many of them are this node's heads now. */
  heads: { listed: number, current: number }
}
