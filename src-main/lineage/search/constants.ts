/** Columns a search may filter or sort on, by the name clients use, mapped to the SQL column. */
export const TRANSACTION_COLUMNS: Readonly<Record<string, string>> = {
  hash: 'hash', method: 'method', meta_contract_id: 'meta_contract_id', token_key: 'token_key', data_key: 'data_key',
  chain_id: 'chain_id', token_address: 'token_address', token_id: 'token_id', alias: 'alias', version: 'version',
  public_key: 'public_key', timestamp: 'timestamp', status: 'status',
}

export const SLOT_COLUMNS: Readonly<Record<string, string>> = {
  data_key: 'data_key', token_key: 'token_key', token_id: 'token_id', meta_contract_id: 'meta_contract_id',
  public_key: 'public_key', alias: 'alias', version: 'version', cid: 'head_cid', loose: 'loose', updated_at: 'updated_at',
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
