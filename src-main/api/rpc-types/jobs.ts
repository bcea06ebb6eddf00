/**
 * Import jobs, and the notifications the WebSocket sends (transactions and job progress). Types
 * only, re-exported by ../rpc-types.ts.
 */
import type { SyncProgressInfo } from './replication.js'
import type { SnapshotInfo } from './snapshots.js'
import type { ExportResultInfo, JsonRpcErrorObject, PinInfo } from './records.js'

/** How far an export is: blocks and bytes written so far. */
export interface ExportProgressInfo {
  path: string
  blocks: number
  bytes: number
}

/** `export_status`: an export running now, or `running: false`. */
export interface ExportStatusInfo {
  path: string
  running: boolean
  blocks: number
  bytes: number
}

/** Options of `import_folder`. */
export interface ImportFolderOptions {
  chain_id: string
  token_address: string
  meta_contract_id: string
  /** Name of the node key that signs every item, and its passphrase. */
  key: string
  passphrase: string
  alias?: string
  version?: string
  /** Resume this job (cancelled, interrupted or failed) instead of starting a new one; `path` must be its source. */
  resume?: string
}

export interface ImportJobParamsInfo {
  source: string
  chain_id: string
  token_address: string
  meta_contract_id: string
  alias: string
  version: string
  public_key: string
  source_size?: number
  source_mtime_ms?: number
  /** Folder and CSV: every item's nonce starts with it (absent in jobs recorded before it existed). */
  nonce_prefix?: string
}

/** An item that did not go in: the file name or CSV line, and why. */
export interface RejectedItemInfo {
  item: string
  token_id?: string
  reason: string
}

/** The signed transactions of a CAR's archives, replayed through this node's engine. */
export interface CarTransactionsSummaryInfo {
  total: number
  /** Newly applied, or rejected by the contract here. */
  applied: number
  rejected: number
  /** Already held by this node (same key and nonce). */
  known: number
  /** Not replayed: missing from the file, unreadable, or refused before they were stored (bad signature, unknown contract…), the first 1,000. */
  refused: Array<{ cid: string, reason: string }>
  /** Transactions not replayed, all of them: applied + rejected + known + refused_count = total. */
  refused_count: number
}

export interface CarImportSummaryInfo {
  blocks: number
  bytes: number
  /** The first 100 roots; `root_count` counts them all. */
  roots: string[]
  root_count: number
  /** Blocks not kept (damaged, too large, an unknown hash), and a damaged end of the file; the first 1,000. */
  refused_blocks: Array<{ cid: string, reason: string }>
  refused_block_count: number
  transactions: CarTransactionsSummaryInfo
  /** The slot heads the archive lists, how many are slot heads here after the import, and the first 1,000 that are not. */
  heads: { listed: number, current: number, not_current: string[] }
  /** The pins the archive lists (a whole-node export), restored here. */
  pins: { listed: number, pinned: number, refused: Array<{ cid: string, reason: string }> }
  /** The user-deployed contracts the archive carries. */
  contracts: { listed: number, deployed: string[], present: string[], refused: Array<{ meta_contract_id: string, reason: string }> }
  /** Roots (among the first 100) that are version blocks; `known`: this node holds their transaction. */
  version_roots: Array<{ cid: string, transaction: string, method: string, timestamp: number, known: boolean }>
}

export interface ImportReportInfo {
  job: string
  state: 'done' | 'cancelled'
  total: number | null
  done: number
  /** Applied items, `unchanged` ones included. */
  applied: number
  /** Applied items whose content was already there: no new version was stored. */
  unchanged: number
  /** The first 1,000; `rejected_count` counts them all. */
  rejected: RejectedItemInfo[]
  rejected_count: number
  skipped: number
  /** Folder imports: files skipped as clearly not metadata (images, notes…), and the first 10 names. */
  ignored?: { count: number, names: string[] }
  car?: CarImportSummaryInfo
}

export interface ImportProgressInfo {
  job: string
  /** What done and total count: folder or CSV items, or a CAR's blocks and then its transactions. */
  phase: 'items' | 'blocks' | 'transactions'
  done: number
  total: number | null
  applied: number
  unchanged: number
  rejected: number
  skipped: number
  /** Items per second this run. */
  rate: number
  eta_seconds: number | null
}

/**
 * An import job as every import method answers it: the job, live progress, and its last report.
 * For folder and CSV jobs `applied`, `pending` and `rejected` are read from what the node
 * committed (exact after a crash too); `rejected` adds the items refused before they were
 * published; `done` is applied + rejected over the whole job; `skipped` is the latest run's.
 */
export interface ImportStatusInfo {
  job: string
  format: 'folder' | 'csv' | 'car'
  state: 'running' | 'paused' | 'cancelled' | 'failed' | 'done'
  params: ImportJobParamsInfo
  done: number
  total: number | null
  applied: number
  unchanged: number
  rejected: number
  /** Published and waiting for the validator. */
  pending: number
  skipped: number
  rejected_items: RejectedItemInfo[]
  /** Files the latest run skipped as clearly not metadata (images, notes…); absent when none. */
  ignored_files?: { count: number, names: string[] }
  /** Why the job failed or was interrupted; "" otherwise. */
  error: string
  created_at: number
  updated_at: number
  running: boolean
  progress: (ImportProgressInfo & { type: 'lineage:import:progress' }) | null
  report: ImportReportInfo | null
}

/** `job_history`: one import (its refused items are in `import_status`), export or bulk edit (`bulk_edit_status`), kept until cleared. */
export interface JobSummaryInfo {
  job: string
  kind: 'import' | 'export' | 'edit'
  format: 'folder' | 'csv' | 'car' | 'bulk'
  state: 'running' | 'paused' | 'cancelled' | 'failed' | 'done'
  path: string
  chain_id: string
  token_address: string
  applied: number
  unchanged: number
  rejected: number
  blocks: number
  bytes: number
  transactions: number
  error: string
  created_at: number
  updated_at: number
}

/** How a transaction ended, as the validator announces it. */
export interface TransactionOutcomeInfo {
  hash: string
  status: 'applied' | 'rejected'
  reason: string
  heads: string[]
  /** Applied without storing anything: the content was already there. */
  unchanged: boolean
  method: string
  meta_contract_id: string
  token_key: string
  data_key: string
}

/** Every notification the WebSocket sends, by method name, with its params. */
export interface LineageNotifications {
  'lineage:transaction:applied': TransactionOutcomeInfo
  'lineage:transaction:rejected': TransactionOutcomeInfo
  'lineage:import:progress': ImportProgressInfo
  'lineage:import:done': { job: string, report: ImportReportInfo }
  'lineage:import:failed': { job: string, error: JsonRpcErrorObject }
  'lineage:export:progress': ExportProgressInfo
  'lineage:export:done': ExportResultInfo
  'lineage:export:failed': { path: string, error: JsonRpcErrorObject }
  /** `fetched_blocks` and `fetched_bytes` appear once the pin had to fetch blocks from peers. */
  'lineage:pin:progress': { cid: string, blocks: number, bytes: number, fetched_blocks?: number, fetched_bytes?: number }
  'lineage:pin:done': PinInfo
  'lineage:pin:failed': { cid: string, error: JsonRpcErrorObject }
  'lineage:gc:progress': { dry_run: boolean, phase: 'mark' | 'sweep', checked: number, freed: number, bytes: number }
  'lineage:gc:done': { dry_run: boolean, freed: number, bytes: number }
  'lineage:gc:failed': { dry_run: boolean, error: JsonRpcErrorObject }
  /** A snapshot being taken: tokens written of the collection's total. */
  'lineage:snapshot:progress': { chain_id: string, token_address: string, done: number, total: number }
  'lineage:snapshot:done': SnapshotInfo
  'lineage:snapshot:failed': { chain_id: string, token_address: string, error: JsonRpcErrorObject }
  'lineage:sync:progress': SyncProgressInfo
  'lineage:sync:failed': { peer_id: string, token_key: string, error: JsonRpcErrorObject }
}

export type LineageNotificationName = keyof LineageNotifications
