import type { TransactionSigner } from '../signing/index.js'
import type { IMPORT_DONE_EVENT, IMPORT_PROGRESS_EVENT, ImportFormat } from './constants.js'
import type { IgnoredFiles, ImportCounters, ImportJobParams, ImportJobState, ImportPhase, ImportReport, RejectedItem } from './report-types.js'

export type { CarImportSummary, CarTransactionsSummary, IgnoredFiles, ImportCounters, ImportJobParams, ImportJobState, ImportPhase, ImportReport, RejectedItem } from './report-types.js'

/** What to import and, for folders and CSV files, how each item becomes a signed `metadata` transaction. */
export interface ImportRequest {
  /** Absolute path of a folder of `<tokenId>.json` (or `<tokenId>`) files, a `.csv` file, or a `.car` file. */
  source: string
  /** Folder and CSV: the collection. */
  chain_id?: string
  token_address?: string
  /** Folder and CSV: the contract that governs the collection; the collection is bound to it first if unbound. */
  meta_contract_id?: string
  /** Default "" (the main document). */
  alias?: string
  /** Default "v1". */
  version?: string
  /** Folder and CSV: the key that signs every item (0x address or base58 ed25519). */
  public_key?: string
}

/**
 * A job and its counters. For folder and CSV jobs, `applied`, `pending` and the contract's
 * rejections are read from the ledger (the transactions the job's key signed in the job's nonce
 * range, as committed: exact after a crash); `rejected` adds the items refused before they were
 * published, as the latest run saved them; `done` is applied + rejected, over the whole job.
 * `skipped` is the latest run's. CAR jobs count blocks, as their last run saved them.
 */
export interface ImportJobInfo extends ImportCounters {
  job: string
  format: ImportFormat
  state: ImportJobState
  params: ImportJobParams
  done: number
  total: number | null
  /** Published and waiting for the validator (after a crash, applied once the node runs again). */
  pending: number
  /** Saved when a run ends (the first MAX_REJECTED_KEPT). */
  rejected_items: RejectedItem[]
  /** Files the latest run skipped as not metadata; absent when none (or saved before they were). */
  ignored_files?: IgnoredFiles
  /** Why the job failed or was interrupted; "" otherwise. */
  error: string
  created_at: number
  updated_at: number
}

export interface ImportProgressEvent {
  type: typeof IMPORT_PROGRESS_EVENT
  job: string
  /** What `done` and `total` count: a CAR import reads its blocks, then replays its transactions. */
  phase: ImportPhase
  done: number
  total: number | null
  applied: number
  unchanged: number
  rejected: number
  skipped: number
  /** Items per second this run (items an earlier run had published are not counted). */
  rate: number
  /** Seconds left at that rate; null until there is a rate. */
  eta_seconds: number | null
}

export interface ImportDoneEvent {
  type: typeof IMPORT_DONE_EVENT
  job: string
  report: ImportReport
}

export type ImportEvent = ImportProgressEvent | ImportDoneEvent

export interface ImportRunOptions {
  /** Signs the items of a folder or CSV import; must be the job's public_key. Not needed for CAR. */
  signer?: TransactionSigner
  signal?: AbortSignal
  onProgress?: (event: ImportEvent) => void
}
