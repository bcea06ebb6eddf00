/**
 * Reads for people and UIs: one token with everything known about it, a collection's tokens in
 * pages that stay fast at any depth (keyset paging on an index of the numeric token order), a
 * slot's history in pages, and a structural diff between two versions. Reads only: the engine's
 * validator is the one writer of these tables.
 *
 * @example
 * ```ts
 * const tokens = createTokens({ store, blockstore, keys: lineage, formatter })
 * tokens.token({ chain_id: '1', token_address: '0xbc4c…', token_id: '42' })   // slots, metadata, receipts
 * const page = tokens.list({ token_key }, { limit: 100 })                       // { items, next_cursor, total }
 * tokens.list({ token_key }, { cursor: page.next_cursor ?? undefined })
 * tokens.history(slotKey, { limit: 20 })                                        // newest first, next_cursor
 * tokens.diff(headCid)   // [{ path: '/attributes/0/value', op: 'replace', before: 'Red', after: 'Gold' }]
 * ```
 */
export { createTokens } from './tokens.js'
export type { CollectionRef, HistoryPage, HistoryVersion, ListTokensOptions, TokenDetails, TokenPage, TokenRef, Tokens, TokensComponents, TokenSlot, VersionDiff } from './tokens.js'
export type { ReceiptCounts, TokenSummary } from './tables.js'
export { tokenOrderKey } from './tables.js'
export { LedgerReads, ledgerReads } from './ledger-reads.js'
export type { CardSlotRow, ContractTokenRow, ExportScope, SlotHeadRow } from './ledger-reads.js'
export { diffContent } from './diff.js'
export type { ContentChange } from './diff.js'
export * from './constants.js'
export * from './errors.js'
