/**
 * What an import job keeps and reports: its parameters, counters, refused items and the CAR
 * summary. Types only and no imports, so the API's wire types (api/rpc-types/jobs.ts) are these
 * very types and the renderer's type check can reach them.
 */

export type ImportJobState = 'running' | 'paused' | 'cancelled' | 'failed' | 'done'

/** What a run's progress counts: folder and CSV items, or a CAR's blocks and then its transactions. */
export type ImportPhase = 'items' | 'blocks' | 'transactions'

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
