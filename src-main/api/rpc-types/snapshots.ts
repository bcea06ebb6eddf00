/**
 * Params and results of the ipfs:// snapshot methods (snapshot_*). Types only, re-exported by
 * ../rpc-types.ts.
 */

// Repeats lineage/snapshots/snapshots.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
/** One snapshot of a collection: an IPFS folder whose entry `<tokenId>` is the token's tokenURI document. */
export interface SnapshotInfo {
  chain_id: string
  token_address: string
  token_key: string
  root_cid: string
  /** `ipfs://<root_cid>/`, the baseURI to give the contract. */
  base_uri: string
  /** ISO 8601. */
  created_at: string
  tokens: number
  /** The folder's blocks, each counted once. */
  bytes: number
  /** Each token also has a `<tokenId>.json` entry (the same file). */
  json_suffix: boolean
  /** A HAMT-sharded directory, as Kubo makes for a large folder. */
  sharded: boolean
}

/** `snapshot_status`: the snapshot of a collection being taken, or `running: false`. */
export interface SnapshotStatusInfo {
  running: boolean
  /** Tokens written into the folder so far. */
  done: number
  total: number
}

/** Options of `snapshot_create`. */
export interface SnapshotCreateOptions {
  /** Also name each entry `<tokenId>.json` (the same file, no extra storage). */
  json_suffix?: boolean
}

/** `snapshot_export_car`: the CAR file written. */
export interface SnapshotCarInfo {
  path: string
  roots: string[]
  blocks: number
  bytes: number
}
