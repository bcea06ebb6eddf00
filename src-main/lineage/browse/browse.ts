import type { Database, Statement } from 'better-sqlite3'
import { BoundedMap } from '../../util/index.js'
import type { KeyDerivation } from '../engine/index.js'
import type { CollectionRef } from '../tokens/index.js'
import { ledgerReads, UnknownCollectionError } from '../tokens/index.js'
import { BROWSE_DESCRIPTION_CHARS, DEEP_PAGE_OFFSET, DEFAULT_BROWSE_PAGE, MAX_BROWSE_OFFSET, MAX_FACET_TYPES, MAX_FACET_VALUES, SORT_MATCHES_UP_TO, TRAIT_INDEX_BYTES, TRAIT_INDEX_FROM_CARDS, TRAIT_INDEX_IDLE_MS, TRAIT_INDEX_REBUILD_SPACING } from './constants.js'
import type { Trait } from './document.js'
import { BrowseQueryError } from './errors.js'
import { ftsQuery, groupFilters, matchIds, ORDER_SQL, searchWords } from './query.js'
import type { BrowseSort, TraitFilter } from './query.js'
import { TraitIndexReader } from './trait-index.js'
import type { TraitIndex, ValueCount } from './trait-index.js'

export interface BrowseQuery {
  /** Words that must each begin a word of the name or the description. */
  text?: string
  /** Values of one trait type are alternatives; different types must all match. */
  traits?: TraitFilter[]
  sort?: BrowseSort
  /** 1 is the first page. */
  page?: number
  page_size?: number
  /** Counts per trait value beside the page (default true). */
  facets?: boolean
}

export interface BrowseItem {
  token_id: string
  data_key: string
  name: string
  /** The first BROWSE_DESCRIPTION_CHARS characters. */
  description: string
  image: string
  traits: Trait[]
  updated_at: number
}

export interface FacetValue { value: string, count: number }

/**
 * One trait type's values with how many tokens match each, the page's other filters applied
 * (its own left out, so its other values say what choosing them adds). The most frequent first;
 * `more` says how many values were left off the list.
 */
export interface Facet { trait_type: string, values: FacetValue[], more: number }

export interface BrowsePage {
  token_key: string
  /** The contract whose documents are shown (the collection's binding); null when it has none. */
  meta_contract_id: string | null
  items: BrowseItem[]
  /** Tokens matching the search and filters. */
  total: number
  page: number
  /** Pages of page_size in total (at least 1). */
  pages: number
  page_size: number
  sort: BrowseSort
  facets: Facet[]
}

export interface Browser {
  /** A numbered page of a collection's tokens matching a search and trait filters. Throws UnknownCollectionError, BrowseQueryError. */
  browse(collection: CollectionRef, query?: BrowseQuery): BrowsePage
}

export interface BrowserComponents {
  db: Database
  keys: KeyDerivation
}

export interface BrowserInit {
  /** Default SORT_MATCHES_UP_TO; tests set it to take the other plan. */
  sortMatchesUpTo?: number
  /**
   * Cards from which filtered and deep pages read the collection's in-memory trait index
   * (default TRAIT_INDEX_FROM_CARDS); tests set 0 to always read it, Infinity never.
   */
  traitIndexFrom?: number
}

/** Shapes of statement kept prepared; the cache starts over past it. */
const STATEMENT_CACHE = 128

interface CardRow { id?: number, token_id: string, data_key: string, name: string, description: string, image: string, traits: string, updated_at: number }

/** A collection's trait index as kept: when it was read and what reading it took. */
interface KeptIndex { index: TraitIndex, readAt: number, readMs: number, idle: NodeJS.Timeout }

/** Counts per trait value of a page's matches, one trait type's filter left out when asked. */
type CountValues = (without?: string, onlyType?: string) => ValueCount[]

const COLUMNS = `c.token_id, c.data_key, c.name, substr(c.description, 1, ${BROWSE_DESCRIPTION_CHARS}) AS description, c.image, c.traits, c.updated_at`

class StoreBrowser implements Browser {
  private readonly binding: Statement<[string], string>
  private readonly anySlot: Statement<[string], number>
  private readonly keptCounts: Statement<[number], [string, string, number]>
  private readonly cardCollection: Statement<[string, string], { id: number, cards: number, version: number }>
  private readonly textIds: Statement<[string], number>
  private readonly cardsById: Statement<[string], CardRow>
  private readonly indexReader: TraitIndexReader
  /** Trait indexes by collection id, least recently used first. */
  private readonly indexes = new Map<number, KeptIndex>()
  /** Statements of the shapes asked so far (a few dozen: sorts × which filters are set). */
  private readonly statements = new BoundedMap<string, Statement>(STATEMENT_CACHE)

  private readonly sortMatchesUpTo: number
  private readonly traitIndexFrom: number

  constructor (private readonly components: BrowserComponents, init: BrowserInit = {}) {
    this.sortMatchesUpTo = init.sortMatchesUpTo ?? SORT_MATCHES_UP_TO
    this.traitIndexFrom = init.traitIndexFrom ?? TRAIT_INDEX_FROM_CARDS
    const { db } = components
    const reads = ledgerReads(db)
    this.binding = reads.boundContract
    this.anySlot = reads.collectionHasSlots
    this.keptCounts = db.prepare<[number], [string, string, number]>('SELECT trait_type, value, tokens FROM trait_values WHERE collection = ?').raw()
    this.cardCollection = db.prepare<[string, string], { id: number, cards: number, version: number }>('SELECT id, cards, version FROM card_collections WHERE token_key = ? AND meta_contract_id = ?')
    this.textIds = db.prepare<[string], number>('SELECT rowid FROM token_card_text WHERE token_card_text MATCH ?').pluck()
    this.cardsById = db.prepare<[string], CardRow>(`SELECT c.id, ${COLUMNS} FROM token_cards c WHERE c.id IN (SELECT value FROM json_each(?))`)
    this.indexReader = new TraitIndexReader(db)
  }

  private statement<R> (sql: string): Statement<unknown[], R> {
    let statement = this.statements.get(sql)
    if (statement === undefined) {
      statement = this.components.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    // A plucked or raw statement is switched back by the caller's own pluck()/raw() call.
    return statement.pluck(false).raw(false) as Statement<unknown[], R>
  }

  browse (collection: CollectionRef, query: BrowseQuery = {}): BrowsePage {
    const tokenKey = 'token_key' in collection ? collection.token_key : this.components.keys.tokenKey(collection.chain_id, collection.token_address)
    const pageSize = query.page_size ?? DEFAULT_BROWSE_PAGE
    const page = query.page ?? 1
    const sort = query.sort ?? 'token_id'
    if ((page - 1) * pageSize > MAX_BROWSE_OFFSET) throw new BrowseQueryError('page', `pages start at most ${MAX_BROWSE_OFFSET.toLocaleString('en-US')} tokens in; narrow the search instead`)
    const metaContractId = this.binding.get(tokenKey)
    if (metaContractId === undefined) {
      if (this.anySlot.get(tokenKey) === undefined) throw new UnknownCollectionError(tokenKey)
      return { token_key: tokenKey, meta_contract_id: null, items: [], total: 0, page, pages: 1, page_size: pageSize, sort, facets: [] }
    }
    const words = searchWords(query.text ?? '')
    const groups = groupFilters(query.traits ?? [])
    // No cards yet under this contract (none written, or the index still being built): nothing matches.
    const { id: cardCollection, cards, version } = this.cardCollection.get(tokenKey, metaContractId) ?? { id: -1, cards: 0, version: 0 }
    const offset = (page - 1) * pageSize
    const narrowed = words.length > 0 || groups.size > 0
    const index = narrowed || offset >= DEEP_PAGE_OFFSET ? this.traitIndex(cardCollection, version, cards) : undefined
    if (index !== undefined && this.indexReader.readOrder(cardCollection, index, sort)) {
      index.startPage()
      // Each word alone (the text index's AND of prefix terms is the intersection of each's matches).
      const texts = [...new Set(words)].map(word => index.wordMatches(word, w => this.textIds.all(ftsQuery([w]))))
      const conditions = index.conditions(texts, groups)
      const match = index.match(conditions)
      const total = match?.count ?? index.size
      const ids = total === 0 ? [] : index.page(match, sort, offset, pageSize, index.orderFor(sort))
      const byId = new Map(ids.length === 0 ? [] : this.cardsById.all(JSON.stringify(ids)).map(row => [row.id, row]))
      const rows = ids.map(id => byId.get(id)).filter(row => row !== undefined).map(({ id: _, ...row }) => row)
      const counted: CountValues = (without, onlyType) => index.counts(without === undefined ? match : index.match(conditions, without), onlyType)
      return this.answer({ tokenKey, metaContractId, page, pageSize, sort, total, rows, facets: query.facets === false ? [] : this.facets(groups, counted) })
    }
    const matches = matchIds(cardCollection, words, groups)
    const total = matches === undefined
      ? cards
      : this.statement<number>(`SELECT count(*) FROM (${matches.sql})`).pluck().get(...matches.params) ?? 0
    const page_ = [pageSize, offset]
    // Few matches: read them and sort them. Many: walk the sort's index and keep the matches, which
    // stops after a page's worth when they are dense (a sort of every match would not).
    const rows = total === 0
      ? []
      : matches === undefined
        ? this.statement<CardRow>(`SELECT ${COLUMNS} FROM token_cards c WHERE c.collection = ? ORDER BY ${ORDER_SQL[sort]} LIMIT ? OFFSET ?`).all(cardCollection, ...page_)
        : total <= this.sortMatchesUpTo
          ? this.statement<CardRow>(`SELECT ${COLUMNS} FROM (${matches.sql}) m CROSS JOIN token_cards c ON c.id = m.id ORDER BY ${ORDER_SQL[sort]} LIMIT ? OFFSET ?`).all(...matches.params, ...page_)
          : this.statement<CardRow>(`SELECT ${COLUMNS} FROM token_cards c WHERE c.collection = ? AND c.id IN (${matches.sql}) ORDER BY ${ORDER_SQL[sort]} LIMIT ? OFFSET ?`).all(cardCollection, ...matches.params, ...page_)
    return this.answer({ tokenKey, metaContractId, page, pageSize, sort, total, rows, facets: query.facets === false ? [] : this.facets(groups, this.countedBySql(cardCollection, words, groups)) })
  }

  private answer (a: { tokenKey: string, metaContractId: string, page: number, pageSize: number, sort: BrowseSort, total: number, rows: CardRow[], facets: Facet[] }): BrowsePage {
    return {
      token_key: a.tokenKey,
      meta_contract_id: a.metaContractId,
      items: a.rows.map(r => ({ ...r, traits: (JSON.parse(r.traits) as Array<[string, string]>).map(([type, value]) => ({ trait_type: type, value })) })),
      total: a.total,
      page: a.page,
      pages: Math.max(1, Math.ceil(a.total / a.pageSize)),
      page_size: a.pageSize,
      sort: a.sort,
      facets: a.facets,
    }
  }

  /**
   * The collection's trait index at `version`: the kept one, mended by the cards changed since,
   * or read again, but not more often than TRAIT_INDEX_REBUILD_SPACING times its last read
   * (undefined then: the SQL plans answer).
   */
  private traitIndex (collection: number, version: number, cards: number): TraitIndex | undefined {
    if (cards < this.traitIndexFrom || collection < 0) return undefined
    const kept = this.indexes.get(collection)
    if (kept !== undefined && kept.index.version === version) {
      // Least recently used last, and its idle clock started again.
      this.indexes.delete(collection)
      this.indexes.set(collection, kept)
      kept.idle.refresh()
      return kept.index
    }
    const started = performance.now()
    // What changed since is mended in (a few cards after an edit); a whole read is spaced out.
    const mended = kept === undefined ? undefined : this.indexReader.mend(collection, kept.index)
    if (kept !== undefined && mended === undefined && started - kept.readAt < kept.readMs * TRAIT_INDEX_REBUILD_SPACING) return undefined
    if (kept !== undefined) this.dropIndex(collection, kept)
    const index = mended ?? this.indexReader.read(collection)
    if (index === undefined) return undefined
    const now = performance.now()
    // A mended index keeps its last whole read's times: they space the next whole read.
    const entry: KeptIndex = {
      index,
      readAt: mended !== undefined && kept !== undefined ? kept.readAt : now,
      readMs: mended !== undefined && kept !== undefined ? kept.readMs : now - started,
      idle: setTimeout(() => { if (this.indexes.get(collection) === entry) this.indexes.delete(collection) }, TRAIT_INDEX_IDLE_MS).unref(),
    }
    this.indexes.set(collection, entry)
    // Counted now: a kept index grows by the search words it keeps.
    let bytes = 0
    for (const e of this.indexes.values()) bytes += e.index.bytes
    for (const [id, e] of this.indexes) {
      if (bytes <= TRAIT_INDEX_BYTES || e === entry) break
      bytes -= e.index.bytes
      this.dropIndex(id, e)
    }
    return index
  }

  private dropIndex (collection: number, kept: KeptIndex): void {
    clearTimeout(kept.idle)
    this.indexes.delete(collection)
  }

  /** Counts by SQL: kept counts when nothing narrows the collection, else counted over the matches. */
  private countedBySql (collection: number, words: string[], groups: Map<string, string[]>): CountValues {
    return (without?: string, onlyType?: string): ValueCount[] => {
      const matches = matchIds(collection, words, groups, without)
      if (matches === undefined) {
        const all = this.keptCounts.all(collection)
        return onlyType === undefined ? all : all.filter(([type]) => type === onlyType)
      }
      // Counted here from each match's trait list (one row a token): a GROUP BY over the traits
      // index cost several times as much (a seek per token, and a sort of every trait row).
      const counts = new Map<string, [string, string, number]>()
      for (const json of this.statement<string>(matches.traits).pluck().all(...matches.params)) {
        for (const [type, value] of JSON.parse(json) as Array<[string, string]>) {
          if (onlyType !== undefined && type !== onlyType) continue
          const key = `${type}\n${value}`
          const row = counts.get(key)
          if (row === undefined) counts.set(key, [type, value, 1])
          else row[2]++
        }
      }
      return [...counts.values()]
    }
  }

  /** Counts per trait value beside a page: each filtered type counted without its own filter. */
  private facets (groups: Map<string, string[]>, counted: CountValues): Facet[] {
    const byType = new Map<string, FacetValue[]>()
    const add = (rows: Array<[string, string, number]>, keep: (type: string) => boolean): void => {
      for (const [type, value, count] of rows) {
        if (!keep(type)) continue
        const values = byType.get(type) ?? []
        values.push({ value, count })
        byType.set(type, values)
      }
    }
    add(counted(), type => !groups.has(type))
    // A filtered type counts its values without its own filter.
    for (const type of groups.keys()) add(counted(type, type), t => t === type)
    // A chosen value stays listed (with 0) even when nothing else matches it.
    for (const [type, values] of groups) {
      const listed = byType.get(type) ?? []
      for (const value of values) if (!listed.some(v => v.value === value)) listed.push({ value, count: 0 })
      byType.set(type, listed)
    }
    return [...byType.entries()]
      .sort(([a], [b]) => compare(a, b))
      .slice(0, MAX_FACET_TYPES)
      .map(([type, values]) => {
        const chosen = new Set(groups.get(type) ?? [])
        values.sort((a, b) => b.count - a.count || compare(a.value, b.value))
        const shown = values.filter((v, i) => i < MAX_FACET_VALUES || chosen.has(v.value))
        return { trait_type: type, values: shown, more: values.length - shown.length }
      })
  }
}

function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function createBrowser (components: BrowserComponents, init?: BrowserInit): Browser {
  return new StoreBrowser(components, init)
}
