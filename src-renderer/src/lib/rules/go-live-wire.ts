/**
 * The node's answers the Go live screen reads (snapshots, reachability, the DHT). A node built
 * without one of these features (an older node the UI talks to) answers "method not found"
 * (-32601); the screen then says so in words instead of failing.
 */
export type { DhtInfo, ReachabilityInfo, SnapshotInfo } from '../../../../src-main/api/rpc-types.js'

/** Whether an error is the node saying it has no such method (an older node, or a feature not built in). */
export function isMethodMissing (err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === -32601
}

/** What the screen says where a feature is missing from the node. */
export const NOT_AVAILABLE = 'Not available on this node yet.'
