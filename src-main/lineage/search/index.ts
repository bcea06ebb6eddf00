/**
 * Searches over transactions and slots with the original protocol's filter shape
 * (`{ query: [{ column, op, query }], ordering: [{ column, sort }], from, to }`), as whitelisted,
 * parameterised SQL: a filter can only name listed columns and operators. Each column has a type
 * (constants.ts): number columns (token_id, chain_id) compare and sort as numbers, uint256
 * included; keys compare an EVM address in any letter case.
 *
 * @example
 * ```ts
 * const search = createSearch(store.db)
 * search.slots({ query: [{ column: 'token_key', op: '=', query: tokenKey }, { column: 'token_id', op: '>', query: '1999' }], ordering: [{ column: 'token_id', sort: 'asc' }], to: 20 })
 * ```
 */
export { createSearch } from './search.js'
export type { CompleteTransactionsPage, Search, SearchCondition, SearchFilter, SearchOrdering, SlotSummary } from './search.js'
export * from './constants.js'
export * from './errors.js'
