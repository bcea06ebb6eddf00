import type { CID } from 'multiformats/cid'
import type { CarProgressEvent } from '../../dag/index.js'

export interface ExportRequest {
  /** Absolute path of the CAR file to write; it must not exist yet. */
  path: string
  /** One collection: the heads of every slot of its tokens. */
  tokenKey?: string
  /** One token: the heads of its slots. */
  dataKey?: string
  /**
   * Transactions (by hash) and slot heads (by CID) to leave out: a copy for a peer that must not
   * see hidden tokens (reveal on mint). A head left out takes its history with it.
   */
  omit?: {
    transaction(hash: string): boolean
    head(cid: string): boolean
  }
}

export interface ExportResult {
  path: string
  /** The file's one root: the archive (the signed requests to replay, and what they produced). */
  roots: string[]
  /** Signed transactions in the archive. */
  transactions: number
  /** Slot heads the archive lists (each written with its whole history). */
  heads: number
  /** Pins the archive lists (a whole-node export only). */
  pins: number
  /** User-deployed contracts the archive carries. */
  contracts: number
  blocks: number
  bytes: number
}

export interface ExportDagRequest {
  /** Absolute path of the CAR file to write; it must not exist yet. */
  path: string
  /** The file's roots; every block they reach is written. */
  roots: CID[]
}

export interface ExportDagResult {
  path: string
  roots: string[]
  blocks: number
  bytes: number
}

export interface ExportOptions {
  signal?: AbortSignal
  onProgress?(event: CarProgressEvent): void
}

/** What a streamed export covers: one collection, one token, or (neither) everything. */
export type ExportScope = Omit<ExportRequest, 'path'>

/**
 * An export fixed at the instant it was opened (its snapshot), to stream somewhere other than a
 * file (an HTTP download). `body()` streams the CAR bytes once; `discard()` frees the snapshot
 * (the end of `body()` does it too, however it ends). Forgetting both keeps TEMP tables until
 * the node stops.
 */
export interface ExportStream {
  roots: string[]
  transactions: number
  heads: number
  pins: number
  contracts: number
  body(options?: ExportOptions): AsyncGenerator<Uint8Array>
  discard(): void
}
