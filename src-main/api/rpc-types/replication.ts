/**
 * Params and results of the replication methods (peer_connect, follow_*, sync_*): peers,
 * followed collections and syncs. Types only, re-exported by ../rpc-types.ts.
 */

/** A collection this node replicates. */
export interface FollowInfo {
  token_key: string
  chain_id: string
  token_address: string
  /** True when followed automatically because this node wrote to it. */
  auto: boolean
  /** Milliseconds since the epoch. */
  added_at: number
  /** When a sync of it last finished with some peer; null if never. */
  synced_at: number | null
  /** Transactions of the collection this node holds. */
  transactions: number
}

// Repeats replication/sync-client.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
/** One sync (one peer, one collection) as it runs. */
export interface SyncProgressInfo {
  peer_id: string
  token_key: string
  phase: 'reconciling' | 'fetching' | 'done'
  fetched: number
  missing: number
  rounds: number
}

/** How one sync ended: what it fetched, or why it failed. */
export type SyncResultInfo =
  | { peer_id: string, token_key: string, fetched: number, missing: number, rounds: number, error?: undefined }
  | { peer_id: string, token_key: string, error: string }

export interface ReplicationStatusInfo {
  follows: number
  syncing: SyncProgressInfo[]
  /** Peers cut off for misbehaving, until when (ms since the epoch) and why. */
  denied: Array<{ peer_id: string, until: number, why: string }>
  /** Peers added by hand, dialled again at every start. */
  remembered_peers: Array<{ peer_id: string, address: string, added_at: number, last_seen: number | null }>
  /** Find peers on the LAN (mDNS). */
  mdns: boolean
  bootstrap: string[]
}
