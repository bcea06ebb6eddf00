/**
 * The records most answers are made of: transactions, receipts, slots, bindings, pins, exports,
 * errors. A leaf of the API's wire types: the other rpc-types files import these from here, and
 * api/rpc-types.ts re-exports them, so no file of rpc-types imports the file that gathers them.
 */
import type { BindingRow, ReceiptRow } from '../../lineage/engine/records.js'
import type { TransactionRequest } from '../../lineage/signing/transaction-request.js'

/** A signed transaction request, as a client submits it (docs/PROTOCOL.md has the signed bytes): the engine's own type. */
export type SignedTransactionRequest = TransactionRequest

export interface TransactionInfo extends Omit<SignedTransactionRequest, 'method'> {
  hash: string
  method: SignedTransactionRequest['method']
  token_key: string
  data_key: string
  /** Milliseconds since the epoch when this node accepted it. */
  timestamp: number
  status: 'pending' | 'applied' | 'rejected'
}

/** A receipt as the engine keeps it (lineage/engine/records.ts, types only). */
export type ReceiptInfo = ReceiptRow

/** One slot: who wrote what under which alias and version; `cid` is its newest version. */
export interface SlotInfo {
  data_key: string
  token_key: string
  token_id: string
  meta_contract_id: string
  public_key: string
  alias: string
  version: string
  cid: string
  /** 0 when the contract checked the content against its schema, 1 when it only stored it. */
  loose: number
  last_tx: string
  updated_at: number
  content: unknown
}

export interface SlotVersionInfo {
  cid: string
  timestamp: number
  content: unknown
  transaction: { hash: string, timestamp: number, meta_contract_id: string, method: string }
}

/** A collection's binding as the engine keeps it (lineage/engine/records.ts, types only). */
export type BindingInfo = BindingRow

/** A GC root: a pinned block, with everything it links to when recursive. */
export interface PinRecordInfo {
  cid: string
  recursive: boolean
  name: string
  /** Milliseconds since the epoch. */
  created_at: number
}

/** A pin with the blocks and bytes it protects on this node. */
export interface PinInfo extends PinRecordInfo {
  blocks: number
  bytes: number
}

export interface GcResultInfo {
  freed: string[]
  bytes: number
}

// Repeats lineage/export/types.ts (which holds CID objects, not strings): a run-time module (or one typed by one), which the renderer's type check must not read.
export interface ExportResultInfo {
  path: string
  /** One root: the archive of the signed requests to replay, which also lists the slot heads, pins and contracts. */
  roots: string[]
  /** Signed transactions in the archive. */
  transactions: number
  /** Slot heads it lists, each written with its whole history. */
  heads: number
  /** Pins it lists (a whole-node export). */
  pins: number
  /** User-deployed contracts it carries. */
  contracts: number
  blocks: number
  bytes: number
}

export interface JsonRpcErrorObject {
  code: number
  message: string
  data?: unknown
}
