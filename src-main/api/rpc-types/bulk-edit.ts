/**
 * Params and results of bulk edit (bulk_edit_preview, bulk_edit_apply, bulk_edit_status,
 * bulk_edit_cancel). Types only, like ../rpc-types.ts, which re-exports them.
 */

export type BulkOperationParam =
  | { op: 'set_trait', trait_type: string, value: string | number }
  | { op: 'rename_trait', trait_type: string, to: string }
  | { op: 'remove_trait', trait_type: string }
  | { op: 'set_field', field: string, value: string | number }
  | { op: 'rename_field', field: string, to: string }
  | { op: 'remove_field', field: string }

/** The tokens to edit: chosen ids, or every token matching the browser's search and trait filters. */
export type BulkSelectionParam =
  | { token_ids: string[] }
  | { filter: { text?: string, traits?: Array<{ trait_type: string, value: string }> } }

export interface BulkEditParam {
  chain_id: string
  token_address: string
  selection: BulkSelectionParam
  operation: BulkOperationParam
  /** Name of the node key that will sign: its main document of each token is what is edited. */
  key: string
}

export interface BulkChangeInfo { label: string, before: string | null, after: string | null }

export interface BulkPreviewItemInfo {
  token_id: string
  name: string
  outcome: 'change' | 'unchanged' | 'refused'
  changes: BulkChangeInfo[]
  reason: string
}

// Repeats lineage/bulk-edit/bulk-edit.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
export interface BulkPreviewInfo {
  description: string
  meta_contract_id: string
  signer_is_binder: boolean
  selected: number
  change: number
  unchanged: number
  refused: number
  /** Refused first, then changes, then unchanged; the first 50. */
  items: BulkPreviewItemInfo[]
}

export interface BulkEditJobInfoWire {
  job: string
  state: 'running' | 'done' | 'cancelled' | 'failed'
  running: boolean
  description: string
  chain_id: string
  token_address: string
  operation: BulkOperationParam
  public_key: string
  total: number
  done: number
  changed: number
  unchanged: number
  refused: number
  refused_items: Array<{ token_id: string, reason: string }>
  error: string
  created_at: number
  updated_at: number
}
