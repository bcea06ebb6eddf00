/** The node on the IPFS DHT (node_info.dht): null when the DHT is off or the node is offline. */
export interface DhtInfo {
  enabled: true
  /** 'public': the IPFS network's DHT; 'local': a private DHT of the peers the node was given (loopback tests). */
  network: 'public' | 'local'
  /** 'server' answers other peers' DHT queries (publicly reachable, or a local network); 'client' only asks. */
  mode: 'client' | 'server'
  /** Peers in the DHT routing table. */
  peers: number
  /** Distinct CIDs announced to at least one DHT peer and still provided. */
  provided: number
  /** ISO time the last full reprovide finished; null before the first. */
  last_reprovide_at: string | null
  reproviding: boolean
  /** New CIDs waiting to be announced. */
  queued: number
  /** Announcements that reached no peer or failed, since start. */
  failed: number
  /** IPNS names this node keeps. */
  ipns_names: number
}

// Repeats dht/ipns.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
/** One collection's IPNS name (ipns_publish, ipns_ls). */
export interface IpnsNameInfoWire {
  /** The key, k51qzi5uqu5d… (libp2p-key CIDv1, base36): the name of /ipns/<name>. */
  name: string
  chain_id: string
  token_address: string
  token_key: string
  /** /ipfs/<cid> */
  value: string
  sequence: number
  published_at: string
  expires_at: string
  /** DHT peers that stored the record when last published; 0 with the DHT off (the node's gateway still serves the name). */
  dht_peers: number
}
