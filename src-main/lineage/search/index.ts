/**
 * Searches over transactions and slots with the original protocol's filter shape
 * (`{ query: [{ column, op, query }], ordering: [{ column, sort }], from, to }`), as whitelisted,
 * parameterised SQL: a filter can only name listed columns and operators.
 *
 * @example
 * ```ts
 * const search = createSearch(store.db)
 * search.slots({ query: [{ column: 'token_key', op: '=', query: tokenKey }], ordering: [{ column: 'updated_at', sort: 'desc' }], to: 20 })
 * ```
 */
export { createSearch } from './search.js'
export type { CompleteTransactionsPage, Search, SearchCondition, SearchFilter, SearchOrdering, SlotSummary } from './search.js'
export * from './constants.js'
export * from './errors.js'
