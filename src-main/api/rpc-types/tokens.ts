/**
 * Params and results of the token reads: get_token, list_tokens, get_history, diff_versions.
 * Types only, like ../rpc-types.ts, which re-exports them.
 */
import type { BindingInfo, SlotInfo } from './records.js'

/** A token, by data_key alone or by chain_id, token_address and token_id together. */
export interface TokenRefParam {
  data_key?: string
  chain_id?: string
  token_address?: string
  token_id?: string
}

/** A collection, by token_key alone or by chain_id and token_address together. */
export interface CollectionRefParam {
  token_key?: string
  chain_id?: string
  token_address?: string
}

/** How the transactions that wrote to a token ended. */
export interface ReceiptCountsInfo {
  total: number
  applied: number
  rejected: number
  /** When the newest receipt was written; null before the first. */
  last_at: number | null
}

/** One token with everything this node knows about it. */
export interface TokenInfo {
  token_key: string
  data_key: string
  token_id: string
  /** From the collection's binding; null if it has none. */
  chain_id: string | null
  token_address: string | null
  binding: BindingInfo | null
  /** Every slot (all contracts, writers, aliases and versions), each with its current content. */
  slots: SlotInfo[]
  /** The tokenURI JSON the gateway serves for it; null when there is nothing to format. */
  metadata: unknown
  /** Why the formatter could not build `metadata`; null otherwise. */
  metadata_error: string | null
  receipts: ReceiptCountsInfo
  /** Transactions for it accepted but not applied yet. */
  pending: number
  /** When one of its slots last moved, in milliseconds since the epoch. */
  updated_at: number
}

export interface ListTokensOptionsInfo {
  /** The `next_cursor` of the previous page. */
  cursor?: string
  /** 1–1,000; default 100. */
  limit?: number
  /** Only token ids containing these digits. */
  token_id_contains?: string
}

export interface TokenSummaryInfo {
  token_id: string
  data_key: string
  slots: number
  updated_at: number
}

export interface TokenPageInfo {
  token_key: string
  /** In numeric token id order. */
  items: TokenSummaryInfo[]
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null
  /** Tokens in the collection that match the filter. */
  total: number
}

export interface HistoryOptionsInfo {
  /** The `next_cursor` of the previous page. */
  cursor?: string
  /** 1–500; default 50. */
  limit?: number
}

export interface HistoryVersionInfo {
  cid: string
  timestamp: number
  content: unknown
  /** The version before it; null for the first. */
  previous: string | null
  /** From the version block; `public_key` and `status` when this node holds the transaction. */
  transaction: { hash: string, timestamp: number, meta_contract_id: string, method: string, public_key: string | null, status: 'pending' | 'applied' | 'rejected' | null }
}

export interface HistoryPageInfo {
  /** The slot's current head. */
  head: string
  /** Newest first. */
  items: HistoryVersionInfo[]
  next_cursor: string | null
}

/** One change of content, at a JSON Pointer path ("" is the whole document). */
export interface ContentChangeInfo {
  path: string
  op: 'add' | 'remove' | 'replace'
  /** Absent for "add". */
  before?: unknown
  /** Absent for "remove". */
  after?: unknown
}

export interface VersionDiffInfo {
  cid: string
  /** The version compared against; null when `cid` is a first version. */
  base: string | null
  changes: ContentChangeInfo[]
}
