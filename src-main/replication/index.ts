/**
 * Replication between Lineage nodes. A node follows collections (its own automatically), hears
 * and announces their new signed transactions by gossipsub (one topic per collection), and
 * catches up with each Lineage peer it meets through a sync protocol (range-based set
 * reconciliation over canonical (timestamp, hash) keys, then the missing transactions a page at
 * a time). Only signed transactions travel; every node applies them through its own contracts in
 * canonical order and so writes the same blocks and ends with the same slot heads. Peers that
 * send forged transactions, malformed or oversized messages, or floods are cut off.
 *
 * @example
 * ```ts
 * const replication = createReplication({ store, lineage, host, log }, { onSyncProgress: p => console.log(p) })
 * await replication.start()
 * replication.follow('1', '0xabc…')                       // gossip + sync from every peer
 * await replication.connect('/ip4/192.168.1.20/tcp/5481/p2p/12D3KooW…')
 * await replication.syncNow()                             // [{ peer_id, token_key, fetched, missing, rounds }]
 * await replication.stop()
 * ```
 */
import { Replication } from './replication.js'
import type { ReplicationComponents, ReplicationInit } from './replication.js'

export function createReplication (components: ReplicationComponents, init: ReplicationInit = {}): Replication {
  return new Replication(components, init)
}

export type { Replication, ReplicationComponents, ReplicationInit, Follow, ReplicationStatus } from './replication.js'
export type { SyncProgress, SyncResult } from './sync-client.js'
export type { GossipInit } from './gossip.js'
export * from './constants.js'
export * from './errors.js'
