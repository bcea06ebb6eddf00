import { TOKEN_ORDER_SQL } from '../tokens/index.js'
import { MAX_SEARCH_WORDS } from './constants.js'
import { BrowseQueryError } from './errors.js'

export const BROWSE_SORTS = ['token_id', 'token_id_desc', 'name', 'name_desc', 'updated'] as const
export type BrowseSort = typeof BROWSE_SORTS[number]

export interface TraitFilter { trait_type: string, value: string }

const ID_ORDER = TOKEN_ORDER_SQL.replaceAll('token_id', 'c.token_id')

/** ORDER BY of each sort; each ends in the numeric token id order, so pages never overlap. */
export const ORDER_SQL: Record<BrowseSort, string> = {
  token_id: ID_ORDER,
  token_id_desc: `${ID_ORDER} DESC`,
  name: `c.name COLLATE NOCASE, ${ID_ORDER}`,
  name_desc: `c.name COLLATE NOCASE DESC, ${ID_ORDER} DESC`,
  updated: `c.updated_at DESC, ${ID_ORDER} DESC`,
}

/**
 * The words of a search: runs of letters, digits and marks, as the FTS5 unicode61 tokenizer cuts
 * them. Each must begin a word of the name or the description (case and accents aside).
 */
export function searchWords (text: string): string[] {
  const words = text.normalize('NFC').match(/[\p{L}\p{N}\p{M}]+/gu) ?? []
  if (words.length > MAX_SEARCH_WORDS) throw new BrowseQueryError('text', `a search holds at most ${MAX_SEARCH_WORDS} words; this one holds ${words.length}`)
  return words
}

/** The FTS5 query: every word as a quoted prefix (a quote inside is doubled, though words hold none). */
export function ftsQuery (words: readonly string[]): string {
  return words.map(w => `"${w.replaceAll('"', '""')}"*`).join(' ')
}

/** Filters grouped by trait type: values of one type are alternatives, types all apply. */
export function groupFilters (filters: readonly TraitFilter[]): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const { trait_type: type, value } of filters) {
    const values = groups.get(type) ?? []
    if (!values.includes(value)) values.push(value)
    groups.set(type, values)
  }
  return groups
}

/**
 * The ids of the cards matching a search and filters (one trait type's filter left out when
 * asked), or undefined when nothing narrows the collection (`collection`: card_collections.id). Each condition is one index lookup
 * (the text index, or a range of token_traits); their INTERSECT is the match set, so its cost
 * follows the matches, not the collection's size. The text index spans every collection: the join
 * with token_cards keeps this one's. `traits` reads the matches' trait lists instead of their ids.
 */
export function matchIds (collection: number, words: readonly string[], groups: ReadonlyMap<string, string[]>, without?: string): { sql: string, traits: string, params: Array<string | number> } | undefined {
  const sets: string[] = []
  const params: Array<string | number> = []
  if (words.length > 0) {
    sets.push('SELECT rowid AS id FROM token_card_text WHERE token_card_text MATCH ?')
    params.push(ftsQuery(words))
  }
  for (const [type, values] of groups) {
    if (type === without) continue
    sets.push(`SELECT DISTINCT card AS id FROM token_traits WHERE value_id IN (SELECT id FROM trait_values
      WHERE collection = ? AND trait_type = ? AND value IN (${values.map(() => '?').join(', ')}))`)
    params.push(collection, type, ...values)
  }
  if (sets.length === 0) return undefined
  const from = `FROM (${sets.join(' INTERSECT ')}) m CROSS JOIN token_cards c ON c.id = m.id WHERE c.collection = ?`
  return { sql: `SELECT c.id ${from}`, traits: `SELECT c.traits ${from}`, params: [...params, collection] }
}
