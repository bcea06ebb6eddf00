/** Tokens a `list` page holds when the caller does not say. */
export const DEFAULT_TOKEN_PAGE = 100
/** Most tokens one `list` page may hold: a page stays one short index range read. */
export const MAX_TOKEN_PAGE = 1000

/** Versions a `history` page holds when the caller does not say. */
export const DEFAULT_HISTORY_PAGE = 50
/** Most versions one `history` page may hold: each one is a block read and decoded with its content. */
export const MAX_HISTORY_PAGE = 500

/**
 * Longest `token_id_contains` filter: a uint256 has at most 78 decimal digits, so a longer
 * filter can match nothing.
 */
export const MAX_TOKEN_FILTER_DIGITS = 78

/**
 * Shortest `token_id_contains` the trigram index (store migration 15) answers; shorter fragments
 * take their totals from the kept per-fragment counts and walk the collection in order for a page.
 */
export const TRIGRAM_SEARCH_MIN_DIGITS = 3

/**
 * The order tokens are listed in, as SQL over the slots table: token ids are canonical decimals
 * (no leading zeros), so the two-digit length followed by the digits sorts them as numbers.
 * Migration 4 indexes exactly this expression (with token_key), and queries must spell it the same
 * way for SQLite to use that index.
 */
export const TOKEN_ORDER_SQL = "printf('%02d', length(token_id)) || token_id"
