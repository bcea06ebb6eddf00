/**
 * Params and results of the original network's read methods added for its dApps (ipfs_get,
 * deserialize_fork, the slot reads' paging). Types only, like ../rpc-types.ts, which re-exports them.
 */

/** A page of a slot read: offset `from`, count `to` (1–100, default 100), as search filters page. */
export interface SlotPageParam {
  from?: number
  to?: number
}

/** A page of get_complete_transactions: `after` is the hash of the previous page's last transaction. */
export interface CompleteTransactionsPageParam {
  after?: string
  /** 1–1,000; default 100. */
  limit?: number
}

/** The original's shape. `content` is the block as dag-json text; a block that does not decode as its codec says is `{ success: false, error }`. */
export interface IpfsGetResultInfo {
  success: boolean
  error: string
  content: string
}

/** What the original's chain watcher read of a decoded mint event log. */
export interface ForkDataInfo {
  data: string
  /** Canonical decimal; "" when the log has no tokenId. */
  token_id: string
  /** The log's `to`; "" when it has none. */
  address: string
}
