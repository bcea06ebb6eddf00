import type { TransactionSigner } from '../signing/index.js'
import type { IMPORT_DONE_EVENT, IMPORT_PROGRESS_EVENT, ImportFormat } from './constants.js'

export type ImportJobState = 'running' | 'paused' | 'cancelled' | 'failed' | 'done'

/** What a run's progress counts: folder and CSV items, or a CAR's blocks and then its transactions. */
export type ImportPhase = 'items' | 'blocks' | 'transactions'

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

/** A job's parameters as the `jobs` row keeps them; a resumed job runs with exactly these. */
export interface ImportJobParams {
  source: string
  chain_id: string
  token_address: string
  meta_contract_id: string
  alias: string
  version: string
  /** Canonical spelling (lower-case for an EVM address). */
  public_key: string
  /** CSV and CAR: the file as it was when the job was created; a resume over a changed file is refused. */
  source_size?: number
  source_mtime_ms?: number
  /**
   * Folder and CSV: every item's nonce starts with it (nonce.ts `jobNoncePrefix`), so the job's
   * transactions are read back from the ledger. Absent in jobs recorded before it existed, whose
   * nonces have no prefix (a resumed job must sign exactly what it signed before).
   */
  nonce_prefix?: string
}

export interface ImportCounters {
  /** Items the contract applied, `unchanged` ones included. */
  applied: number
  /** Applied items whose content was already the token's current version ("already there"): nothing new was stored. */
  unchanged: number
  /** Items refused at publish plus items the contract rejected. */
  rejected: number
  /** Items an earlier run of the job had already published (not sent again). */
  skipped: number
}

/** An item that did not go in: the file name or CSV line, and why. */
export interface RejectedItem {
  item: string
  token_id?: string
  reason: string
}

/** The signed transactions of the CAR's archives, replayed through this node's engine. */
export interface CarTransactionsSummary {
  /** Transactions the archives list. */
  total: number
  /** Newly applied, or rejected by the contract here. */
  applied: number
  rejected: number
  /** Already held by this node (same key and nonce). */
  known: number
  /** Not replayed: missing from the file, unreadable, or refused before they were stored (bad signature, unknown contract…); the first MAX_REJECTED_KEPT (a whole page that cannot be read is one entry). */
  refused: Array<{ cid: string, reason: string }>
  /** Transactions not replayed, all of them: applied + rejected + known + refused_count = total. */
  refused_count: number
}

/** What a CAR import found in the file, and what it restored. */
export interface CarImportSummary {
  /** Blocks checked against their CIDs and stored. */
  blocks: number
  bytes: number
  /** The header's roots, the first MAX_ROOTS_REPORTED; `root_count` counts them all. */
  roots: string[]
  root_count: number
  /** Blocks not kept (damaged, too large, an unknown hash) and a damaged end of the file; the first MAX_REJECTED_KEPT. */
  refused_blocks: Array<{ cid: string, reason: string }>
  refused_block_count: number
  transactions: CarTransactionsSummary
  /**
   * The slot heads the archives list (exports since the single-root layout), and how many are
   * slot heads on this node after the replay: all of them, when a backup is restored into a node
   * that holds nothing newer. `not_current` names the first MAX_REJECTED_KEPT that are not.
   */
  heads: { listed: number, current: number, not_current: string[] }
  /** The pins the archives list (a whole-node export), restored here. */
  pins: { listed: number, pinned: number, refused: Array<{ cid: string, reason: string }> }
  /** The user-deployed contracts the archives carry: deployed here, already here, or refused. */
  contracts: { listed: number, deployed: string[], present: string[], refused: Array<{ meta_contract_id: string, reason: string }> }
  /**
   * Roots (among the first MAX_ROOTS_REPORTED) that are Lineage version blocks; `known` says
   * whether this node holds their transaction (its slot then has the version). Blocks alone move
   * no slot: a version block records a transaction's hash, not its signed request, so only
   * archived transactions (replayed above) can.
   */
  version_roots: Array<{ cid: string, transaction: string, method: string, timestamp: number, known: boolean }>
}

/** The end of a run. `state` is "cancelled" when the signal aborted it; run it again to resume. */
export interface ImportReport {
  job: string
  state: 'done' | 'cancelled'
  /** Items in the source (CAR: blocks); null if the run was cancelled before counting finished. */
  total: number | null
  /** Items with a final outcome in this run: applied, rejected or skipped. */
  done: number
  /** Applied items, `unchanged` ones included (applied − unchanged were written). */
  applied: number
  /** Applied items whose content was already there: no new version was stored. */
  unchanged: number
  /** The first MAX_REJECTED_KEPT rejected items; `rejected_count` counts them all. */
  rejected: RejectedItem[]
  rejected_count: number
  skipped: number
  /** Folder imports: files skipped as clearly not metadata (images, notes), and the first names. */
  ignored?: IgnoredFiles
  car?: CarImportSummary
}

export interface IgnoredFiles {
  count: number
  /** The first MAX_IGNORED_NAMES_KEPT. */
  names: string[]
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
