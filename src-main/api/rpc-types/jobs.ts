/**
 * Import jobs, and the notifications the WebSocket sends (transactions and job progress). Types
 * only, re-exported by ../rpc-types.ts.
 */
import type { CarImportSummary, CarTransactionsSummary, IgnoredFiles, ImportJobParams, ImportJobState, ImportPhase, ImportReport, RejectedItem } from '../../lineage/import/report-types.js'
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

// The import job's own types (lineage/import/report-types.ts, types only), as the wire carries them.
export type ImportJobParamsInfo = ImportJobParams
export type RejectedItemInfo = RejectedItem
export type CarTransactionsSummaryInfo = CarTransactionsSummary
export type CarImportSummaryInfo = CarImportSummary
export type ImportReportInfo = ImportReport

// Not the engine's ImportProgressEvent: that one's `type` is typed by a run-time constant
// (lineage/import/constants.ts), which the renderer's type check must not read.
export interface ImportProgressInfo {
  job: string
  /** What done and total count: folder or CSV items, or a CAR's blocks and then its transactions. */
  phase: ImportPhase
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
  state: ImportJobState
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
  ignored_files?: IgnoredFiles
  /** Why the job failed or was interrupted; "" otherwise. */
  error: string
  created_at: number
  updated_at: number
  running: boolean
  progress: (ImportProgressInfo & { type: 'lineage:import:progress' }) | null
  report: ImportReportInfo | null
}

// Repeats lineage/job-history/history.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
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

// Repeats lineage/engine/validator.ts TransactionOutcome: a run-time module (or one typed by one), which the renderer's type check must not read.
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
