/**
 * What the Go live screen expects of node features that may not be on the node it talks to yet
 * (snapshots, reachability, the DHT), as those features' RPC methods and node_info fields answer.
 * A node without them answers "method not found" (-32601) or leaves the field out; the screen
 * then says so in words. Once these land in src-main/api/rpc-types.ts, these types can go.
 */
import type { LineageClient, NodeInfo } from '../../../../src-main/api/rpc-types.js'

/** One snapshot of a collection: a UnixFS folder of its documents (`snapshot_create`, `snapshot_ls`). */
export interface SnapshotInfo {
  chain_id: string
  token_address: string
  token_key: string
  root_cid: string
  /** `ipfs://<root>/` */
  base_uri: string
  /** Milliseconds since the epoch (or an ISO date). */
  created_at: number | string
  tokens: number
  bytes: number
  json_suffix: boolean
  sharded: boolean
}

export type { DhtInfo, ReachabilityInfo } from '../../../../src-main/api/rpc-types.js'

/** node_info with the fields other parts of the node add. */
export type GoLiveNodeInfo = NodeInfo

interface OptionalMethods {
  snapshot_create: { params: [chain_id: string, token_address: string, options?: { json_suffix?: boolean }], result: SnapshotInfo }
  snapshot_cancel: { params: [chain_id: string, token_address: string], result: unknown }
  snapshot_ls: { params: [chain_id: string, token_address: string], result: SnapshotInfo[] }
  snapshot_export_car: { params: [root_cid: string, path: string], result: unknown }
}

/** Calls a method this node may not have yet; a node without it rejects with code -32601. */
export async function callOptional<M extends keyof OptionalMethods> (client: LineageClient, method: M, ...params: OptionalMethods[M]['params']): Promise<OptionalMethods[M]['result']> {
  const loose = client as unknown as { call(method: string, ...params: unknown[]): Promise<unknown> }
  return await loose.call(method, ...params) as OptionalMethods[M]['result']
}

/** Whether an error is the node saying it has no such method (an older node, or a feature not built in). */
export function isMethodMissing (err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === -32601
}

/** What the screen says where a feature is missing from the node. */
export const NOT_AVAILABLE = 'Not available on this node yet.'
