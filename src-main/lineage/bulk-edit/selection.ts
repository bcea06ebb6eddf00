import type { Database, Statement } from 'better-sqlite3'
import { groupFilters, matchIds, searchWords } from '../browse/index.js'
import type { TraitFilter } from '../browse/index.js'
import { TOKEN_ID_PATTERN } from '../signing/index.js'
import { TOKEN_ORDER_SQL } from '../tokens/index.js'
import { MAX_BULK_EDIT_TOKENS } from './constants.js'
import { BulkEditEmptySelectionError, BulkEditInputError, BulkEditTooManyTokensError } from './errors.js'
import type { BulkToken } from './jobs.js'

/** The tokens an edit applies to: a list of ids, or every token matching the browser's search and filters. */
export type BulkSelection =
  | { token_ids: string[] }
  | { filter: { text?: string, traits?: TraitFilter[] } }

/** A selected token with the name its card shows ('' when it has none). */
export interface SelectedToken extends BulkToken { name: string }

const ID_ORDER = TOKEN_ORDER_SQL.replaceAll('token_id', 'c.token_id')

/** Reads the selected tokens from the browse index (token_cards), in token id order. */
export class Selections {
  private readonly byId: Statement<[string, string, string, string], { data_key: string, name: string }>
  private readonly all: Statement<[string, string], SelectedToken>
  private readonly total: Statement<[string, string], number>
  private readonly collection: Statement<[string, string], number>

  constructor (private readonly db: Database, private readonly dataKey: (tokenId: string) => string) {
    // Spelled as the id-order index is, so the lookup is one seek of it.
    this.byId = db.prepare(`SELECT data_key, name FROM token_cards c WHERE c.collection = (SELECT id FROM card_collections WHERE token_key = ? AND meta_contract_id = ?) AND ${ID_ORDER} = printf('%02d', length(?)) || ?`)
    this.all = db.prepare(`SELECT c.token_id, c.data_key, c.name FROM token_cards c WHERE c.collection = (SELECT id FROM card_collections WHERE token_key = ? AND meta_contract_id = ?) ORDER BY ${ID_ORDER} LIMIT ${MAX_BULK_EDIT_TOKENS + 1}`)
    this.total = db.prepare<[string, string], number>('SELECT cards FROM card_collections WHERE token_key = ? AND meta_contract_id = ?').pluck()
    this.collection = db.prepare<[string, string], number>('SELECT id FROM card_collections WHERE token_key = ? AND meta_contract_id = ?').pluck()
  }

  /** @throws BulkEditInputError, BulkEditEmptySelectionError, BulkEditTooManyTokensError, BrowseQueryError */
  resolve (tokenKey: string, metaContractId: string, selection: BulkSelection): SelectedToken[] {
    if ('token_ids' in selection) return this.listed(tokenKey, metaContractId, selection.token_ids)
    const words = searchWords(selection.filter.text ?? '')
    // No cards under this contract yet: id -1 matches nothing.
    const matches = matchIds(this.collection.get(tokenKey, metaContractId) ?? -1, words, groupFilters(selection.filter.traits ?? []))
    const count = matches === undefined
      ? this.total.get(tokenKey, metaContractId) ?? 0
      : this.db.prepare<unknown[], number>(`SELECT count(*) FROM (${matches.sql})`).pluck().get(...matches.params) ?? 0
    if (count === 0) throw new BulkEditEmptySelectionError(matches === undefined ? 'This collection has no tokens to edit.' : 'No token matches this search and these filters.')
    if (count > MAX_BULK_EDIT_TOKENS) throw new BulkEditTooManyTokensError(count, MAX_BULK_EDIT_TOKENS)
    if (matches === undefined) return this.all.all(tokenKey, metaContractId)
    return this.db.prepare<unknown[], SelectedToken>(`SELECT c.token_id, c.data_key, c.name FROM token_cards c WHERE c.id IN (${matches.sql}) ORDER BY ${ID_ORDER}`).all(...matches.params)
  }

  private listed (tokenKey: string, metaContractId: string, ids: readonly string[]): SelectedToken[] {
    const unique = [...new Set(ids)]
    if (unique.length === 0) throw new BulkEditEmptySelectionError('No token is selected.')
    if (unique.length > MAX_BULK_EDIT_TOKENS) throw new BulkEditTooManyTokensError(unique.length, MAX_BULK_EDIT_TOKENS)
    const bad = unique.find(id => !TOKEN_ID_PATTERN.test(id))
    if (bad !== undefined) throw new BulkEditInputError('selection.token_ids', `"${bad.slice(0, 80)}" is not a token id (a whole number like 42)`)
    return unique.map(id => {
      const card = this.byId.get(tokenKey, metaContractId, id, id)
      // A token the browser has no card of (nothing written, or a document it cannot show).
      return { token_id: id, data_key: card?.data_key ?? this.dataKey(id), name: card?.name ?? '' }
    })
  }
}
