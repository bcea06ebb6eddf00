/**
 * How a searchable column compares and sorts:
 * - `text`: as text (code points), `like` patterns included;
 * - `key`: a public key or an address: text, with an EVM address (0x…) compared in lower case,
 *   the one form the node stores, so every spelling of an address finds the same rows;
 * - `uint`: a canonical decimal (no sign, no leading zeros) stored as text, compared and sorted
 *   as a number, uint256 included (SQLite integers stop at 2^63);
 * - `integer`: an SQLite integer (milliseconds since the epoch, or 0/1).
 */
export type ColumnType = 'text' | 'key' | 'uint' | 'integer'

export interface ColumnSpec {
  /** The SQL column. */
  readonly sql: string
  readonly type: ColumnType
  /** `uint` columns: the largest value the column can hold, and how to say it. */
  readonly max?: { value: bigint, text: string }
  /**
   * `text` columns with a closed set of values: an `=` condition on one of them is written into
   * the SQL as that literal, not bound, so SQLite can pick a partial index made for it (e.g.
   * `transactions_rejected`, WHERE status = 'rejected'); a bound value cannot prove that.
   */
  readonly values?: readonly string[]
}

/** Token ids are uint256 (ERC-721, ERC-1155). */
export const MAX_UINT256 = { value: (1n << 256n) - 1n, text: '2^256 − 1' }
/** Chain ids have at most 20 digits (the signing rules' CHAIN_ID_PATTERN). */
export const MAX_CHAIN_ID = { value: 10n ** 20n - 1n, text: '10^20 − 1' }

const text = (sql: string): ColumnSpec => ({ sql, type: 'text' })
const closed = (sql: string, values: readonly string[]): ColumnSpec => ({ sql, type: 'text', values })
const key = (sql: string): ColumnSpec => ({ sql, type: 'key' })
const uint = (sql: string, max: ColumnSpec['max']): ColumnSpec => ({ sql, type: 'uint', max })
const integer = (sql: string): ColumnSpec => ({ sql, type: 'integer' })

/** Columns a search may filter or sort on, by the name clients use. */
export const TRANSACTION_COLUMNS: Readonly<Record<string, ColumnSpec>> = {
  hash: text('hash'),
  method: closed('method', ['contract', 'metadata', 'clone']),
  meta_contract_id: text('meta_contract_id'),
  token_key: text('token_key'),
  data_key: text('data_key'),
  chain_id: uint('chain_id', MAX_CHAIN_ID),
  token_address: key('token_address'),
  // "" for a binding (method contract), which no numeric condition matches.
  token_id: uint('token_id', MAX_UINT256),
  alias: text('alias'),
  version: text('version'),
  public_key: key('public_key'),
  timestamp: integer('timestamp'),
  status: closed('status', ['pending', 'applied', 'rejected']),
}

export const SLOT_COLUMNS: Readonly<Record<string, ColumnSpec>> = {
  data_key: text('data_key'),
  token_key: text('token_key'),
  token_id: uint('token_id', MAX_UINT256),
  meta_contract_id: text('meta_contract_id'),
  public_key: key('public_key'),
  alias: text('alias'),
  version: text('version'),
  cid: text('head_cid'),
  loose: integer('loose'),
  updated_at: integer('updated_at'),
}

/** Comparison operators, by the name clients use, mapped to SQL. */
export const OPERATORS: Readonly<Record<string, string>> = {
  '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', like: 'LIKE',
}

export const SORT_ORDERS: Readonly<Record<string, string>> = { asc: 'ASC', desc: 'DESC' }

/** Limits of one search: conditions, sort keys, page size and offset, value length. */
export const MAX_CONDITIONS = 16
export const MAX_ORDERINGS = 4
export const MAX_PAGE = 1000
export const DEFAULT_PAGE = 100
export const MAX_OFFSET = 1_000_000
export const MAX_VALUE_LENGTH = 256

/**
 * `completeTransactions` pages: the original answered every applied transaction in the range at
 * once, which grows without bound; a page is one seek into the `transactions_applied_time` index.
 */
export const DEFAULT_COMPLETE_PAGE = 100
export const MAX_COMPLETE_PAGE = 1000

/**
 * Slots one page of a slot read with content answers (`get_metadatas_by_block`, …): each is a
 * block read and decoded, and a content may be 64 KiB, so a page stays under about 6.4 MiB.
 * The original answered every slot at once.
 */
export const MAX_SLOT_CONTENT_PAGE = 100
