import type { Database, Statement } from 'better-sqlite3'
import { ORDER_SQL } from './query.js'
import type { BrowseSort } from './query.js'

/**
 * A card's place in its collection's token id order (0 is the lowest id): what the in-memory
 * index is written in, so a match set is a byte per card and the id sort is the position order.
 */
type Position = number

/** The cards matching a page's search and filters: a flag per position, and how many are set. */
export interface MatchSet { flags: Uint8Array, count: number }

/** One condition of a page: the text's matches (no type) or a trait type's. */
export interface Condition { type: string | undefined, set: MatchSet }

/** A trait value's row of a count: its type, its value and how many cards hold it. */
export type ValueCount = [string, string, number]

interface TraitValue { type: string, value: string, postings: Int32Array }

/** Bytes of search words' matches an index keeps (16 words at 1,000,000 cards). */
const KEPT_WORD_BYTES = 16 * 1024 * 1024

/** Flag arrays a page borrows at most from its index (a page with two filters uses three). */
const SCRATCH_ARRAYS = 8

/** Card ids past this are not held in an Int32Array; such a store browses by SQL alone. */
const MAX_CARD_ID = 2 ** 31 - 1

/**
 * One browse collection's cards and traits in memory, as of one `card_collections.version`:
 * for each trait value the positions holding it (ascending), for each position its values, and
 * the name and updated orders once a page asks for them. Filtered pages, their totals and their
 * counts per value are then loops over typed arrays (a byte per card and a few ints per trait),
 * so their cost follows the collection's size and not SQLite's seeks: at 100,000 cards a dense
 * filter with counts was 136 ms by SQL (docs/BENCHMARKS.md).
 */
export class TraitIndex {
  /** Card id at each position. */
  readonly cards: Int32Array
  readonly size: number
  private readonly base: number
  /** Position + 1 by card id − base; 0 for a card of another collection. */
  private readonly positions: Int32Array
  private readonly values: TraitValue[]
  private readonly valuesOfType = new Map<string, Map<string, number>>()
  /** Values of the card at position p: forward[forwardStart[p] … forwardStart[p + 1]). */
  private readonly forwardStart: Int32Array
  private readonly forward: Int32Array
  private readonly orders = new Map<'name' | 'updated', Int32Array>()
  /** Flag arrays lent to one page's conditions and matches (see `startPage`), so a page allocates none. */
  private readonly scratch: Uint8Array[] = []
  private lent = 0
  /** The cards each search word (as a prefix) matches, least recently used first; see `wordMatches`. */
  private readonly words = new Map<string, MatchSet>()
  private wordBytes = 0

  constructor (readonly version: number, cards: Int32Array, values: Array<{ type: string, value: string, cards: Int32Array }>) {
    this.cards = cards
    this.size = cards.length
    let min = Infinity
    let max = -Infinity
    for (const id of cards) {
      if (id < min) min = id
      if (id > max) max = id
    }
    this.base = this.size === 0 ? 0 : min
    this.positions = new Int32Array(this.size === 0 ? 0 : max - min + 1)
    for (let p = 0; p < this.size; p++) this.positions[(cards[p] as number) - this.base] = p + 1
    const perCard = new Int32Array(this.size + 1)
    this.values = values.map(({ type, value, cards: holders }, v) => {
      const postings = new Int32Array(holders.length)
      let n = 0
      for (const id of holders) {
        const p = this.position(id)
        if (p === undefined) continue
        postings[n++] = p
        perCard[p + 1] = (perCard[p + 1] as number) + 1
      }
      const byValue = this.valuesOfType.get(type) ?? new Map<string, number>()
      byValue.set(value, v)
      this.valuesOfType.set(type, byValue)
      return { type, value, postings: postings.subarray(0, n).sort() }
    })
    for (let p = 0; p < this.size; p++) perCard[p + 1] = (perCard[p + 1] as number) + (perCard[p] as number)
    this.forwardStart = perCard
    this.forward = new Int32Array(perCard[this.size] as number)
    const fill = perCard.slice(0, this.size)
    this.values.forEach(({ postings }, v) => {
      for (const p of postings) {
        const at = fill[p] as number
        this.forward[at] = v
        fill[p] = at + 1
      }
    })
  }

  /**
   * The cards whose name or description has a word beginning with `word`, made by `search` (the
   * text index's matches) once and kept while this index is: a search typed word by word asks
   * the same words again, and a word most of the collection holds (its own name) costs the text
   * index a read of its whole posting list each time (131 ms at 1,000,000 cards).
   */
  wordMatches (word: string, search: (word: string) => Iterable<number>): MatchSet {
    let set = this.words.get(word)
    if (set !== undefined) {
      this.words.delete(word)
      this.words.set(word, set)
      return set
    }
    set = this.flagsOf(search(word))
    this.words.set(word, set)
    this.wordBytes += set.flags.byteLength
    for (const [kept, { flags }] of this.words) {
      if (this.wordBytes <= KEPT_WORD_BYTES || kept === word) break
      this.words.delete(kept)
      this.wordBytes -= flags.byteLength
    }
    return set
  }

  /** Bytes of typed arrays held (what the browser's memory bound counts). */
  get bytes (): number {
    let bytes = this.cards.byteLength + this.positions.byteLength + this.forwardStart.byteLength + this.forward.byteLength
    for (const { postings } of this.values) bytes += postings.byteLength
    for (const order of this.orders.values()) bytes += order.byteLength
    for (const flags of this.scratch) bytes += flags.byteLength
    return bytes + this.wordBytes
  }

  /**
   * Starts a page: the flag arrays lent to the last one's conditions and matches are taken back
   * (a page's answer is made before the next starts). Reusing them spares the garbage collector
   * a megabyte an array at 1,000,000 cards, several a page.
   */
  startPage (): void {
    this.lent = 0
  }

  /** Zeroed flags for this page: a kept array while SCRATCH_ARRAYS are lent, then a new one. */
  private borrow (): Uint8Array {
    if (this.lent >= SCRATCH_ARRAYS) return new Uint8Array(this.size)
    let flags = this.scratch[this.lent]
    if (flags === undefined) {
      flags = new Uint8Array(this.size)
      this.scratch.push(flags)
    } else {
      flags.fill(0)
    }
    this.lent++
    return flags
  }

  position (cardId: number): Position | undefined {
    const p = this.positions[cardId - this.base]
    return p === undefined || p === 0 ? undefined : p - 1
  }

  /** The cards among `cardIds` (a text search's matches, which span every collection). */
  flagsOf (cardIds: Iterable<number>): MatchSet {
    const flags = new Uint8Array(this.size)
    let count = 0
    for (const id of cardIds) {
      const p = this.position(id)
      if (p !== undefined && flags[p] === 0) {
        flags[p] = 1
        count++
      }
    }
    return { flags, count }
  }

  /**
   * Each condition of a page once: the text's matches, and per trait type the cards holding one
   * of its values. A page's matches, and each filtered type's own counts, are their intersections.
   */
  conditions (texts: readonly MatchSet[], groups: ReadonlyMap<string, readonly string[]>): Condition[] {
    const conditions: Condition[] = texts.map(set => ({ type: undefined, set }))
    for (const [type, values] of groups) conditions.push({ type, set: this.holding(type, values) })
    return conditions
  }

  /** The cards meeting every condition (`without`: a trait type's left out); undefined when none narrows. */
  match (conditions: readonly Condition[], without?: string): MatchSet | undefined {
    const [first, ...rest] = conditions.filter(c => without === undefined || c.type !== without).map(c => c.set)
    if (first === undefined) return undefined
    if (rest.length === 0) return first
    // Conditions are shared by the page's several matches: the result is a copy.
    const flags = this.borrow()
    flags.set(first.flags)
    let count = first.count
    // Fields read into locals: the loops below run a million times at 1,000,000 cards.
    const size = this.size
    for (const set of rest) {
      const other = set.flags
      count = 0
      for (let p = 0; p < size; p++) {
        const both = (flags[p] as number) & (other[p] as number)
        flags[p] = both
        count += both
      }
    }
    return { flags, count }
  }

  /** The cards holding one of a type's values. */
  private holding (type: string, values: readonly string[]): MatchSet {
    const flags = this.borrow()
    let count = 0
    const byValue = this.valuesOfType.get(type)
    for (const value of values) {
      const v = byValue?.get(value)
      if (v === undefined) continue
      const { postings } = this.values[v] as TraitValue
      // One value: its cards are distinct. Several: a card holding two is counted once.
      if (values.length === 1) {
        for (let i = 0; i < postings.length; i++) flags[postings[i] as number] = 1
        count = postings.length
      } else {
        for (let i = 0; i < postings.length; i++) {
          const p = postings[i] as number
          count += 1 - (flags[p] as number)
          flags[p] = 1
        }
      }
    }
    return { flags, count }
  }

  /**
   * How many matching cards hold each value (all cards when `match` is undefined), of one type
   * or of all; values no match holds are left out. A dense match counts what the others lack.
   */
  counts (match: MatchSet | undefined, onlyType?: string): ValueCount[] {
    const counts = new Int32Array(this.values.length)
    const wanted = onlyType === undefined ? undefined : [...(this.valuesOfType.get(onlyType)?.values() ?? [])]
    if (match === undefined) {
      this.values.forEach(({ postings }, v) => { counts[v] = postings.length })
    } else if (wanted !== undefined) {
      const { flags } = match
      for (const v of wanted) {
        const { postings } = this.values[v] as TraitValue
        let n = 0
        for (let i = 0; i < postings.length; i++) n += flags[postings[i] as number] as number
        counts[v] = n
      }
    } else {
      const dense = match.count > this.size / 2
      if (dense) this.values.forEach(({ postings }, v) => { counts[v] = postings.length })
      const step = dense ? -1 : 1
      const flagged = dense ? 0 : 1
      const { flags } = match
      const { size, forwardStart, forward } = this
      for (let p = 0; p < size; p++) {
        if (flags[p] !== flagged) continue
        for (let j = forwardStart[p] as number, end = forwardStart[p + 1] as number; j < end; j++) {
          const v = forward[j] as number
          counts[v] = (counts[v] as number) + step
        }
      }
    }
    const rows: ValueCount[] = []
    for (const v of wanted ?? this.values.keys()) {
      const count = counts[v] as number
      const { type, value } = this.values[v] as TraitValue
      if (count > 0) rows.push([type, value, count])
    }
    return rows
  }

  /**
   * The card ids of a page: the matches (all cards when undefined) in the sort's order, `offset`
   * skipped. `order`: the sort's positions, for the name and updated sorts (see `orderFor`).
   */
  page (match: MatchSet | undefined, sort: BrowseSort, offset: number, limit: number, order?: Int32Array): number[] {
    const ids: number[] = []
    const backwards = sort === 'token_id_desc' || sort === 'name_desc'
    const { size, cards } = this
    // Every card in order: the offset is a count, not a walk.
    if (match === undefined) {
      for (let i = offset; i < size && ids.length < limit; i++) {
        const k = backwards ? size - 1 - i : i
        ids.push(cards[order === undefined ? k : order[k] as number] as number)
      }
      return ids
    }
    const { flags } = match
    let skipped = 0
    for (let i = 0; i < size && ids.length < limit; i++) {
      const k = backwards ? size - 1 - i : i
      const p = order === undefined ? k : order[k] as number
      if (flags[p] !== 1) continue
      if (skipped < offset) skipped++
      else ids.push(cards[p] as number)
    }
    return ids
  }

  /** The positions in a sort's order other than the id order, when read already. */
  orderFor (sort: BrowseSort): Int32Array | undefined {
    const which = sortOrder(sort)
    return which === undefined ? undefined : this.orders.get(which)
  }

  keepOrder (sort: BrowseSort, cardIds: readonly number[]): void {
    const which = sortOrder(sort)
    if (which === undefined) return
    const order = new Int32Array(cardIds.length)
    cardIds.forEach((id, i) => { order[i] = this.position(id) ?? 0 })
    this.orders.set(which, order)
  }
}

/** Which kept order a sort walks (name_desc walks the name order backwards); none for the id sorts. */
export function sortOrder (sort: BrowseSort): 'name' | 'updated' | undefined {
  return sort === 'name' || sort === 'name_desc' ? 'name' : sort === 'updated' ? 'updated' : undefined
}

/**
 * Reads a collection's index from the browse tables, each read at the version it is kept for:
 * the whole index in one read transaction, and an order read later only while the version stands.
 */
export class TraitIndexReader {
  private readonly version: Statement<[number], number>
  private readonly cardIds: Statement<[number], number>
  private readonly values: Statement<[number], [number, string, string]>
  private readonly cardsOfValue: Statement<[number], number>
  private readonly orderIds: Record<'name' | 'updated', Statement<[number], number>>

  constructor (private readonly db: Database) {
    this.version = db.prepare<[number], number>('SELECT version FROM card_collections WHERE id = ?').pluck()
    this.cardIds = db.prepare<[number], number>(`SELECT c.id FROM token_cards c WHERE c.collection = ? ORDER BY ${ORDER_SQL.token_id}`).pluck()
    this.values = db.prepare<[number], [number, string, string]>('SELECT id, trait_type, value FROM trait_values WHERE collection = ? ORDER BY id').raw()
    this.cardsOfValue = db.prepare<[number], number>('SELECT card FROM token_traits WHERE value_id = ?').pluck()
    this.orderIds = {
      name: db.prepare<[number], number>(`SELECT c.id FROM token_cards c WHERE c.collection = ? ORDER BY ${ORDER_SQL.name}`).pluck(),
      updated: db.prepare<[number], number>(`SELECT c.id FROM token_cards c WHERE c.collection = ? ORDER BY ${ORDER_SQL.updated}`).pluck(),
    }
  }

  /** The index of a collection as it is now; undefined when its card ids do not fit one. */
  read (collection: number): TraitIndex | undefined {
    return this.db.transaction(() => {
      const version = this.version.get(collection) ?? 0
      const cards = Int32Array.from(this.cardIds.all(collection))
      for (const id of cards) if (id < 0 || id > MAX_CARD_ID) return undefined
      // A statement a value: six times faster than stepping through one join of every value's
      // cards (46 against 290 ms at 100,000 cards of 16 values).
      const values = this.values.all(collection).map(([id, type, value]) => ({ type, value, cards: Int32Array.from(this.cardsOfValue.all(id)) }))
      return new TraitIndex(version, cards, values)
    })()
  }

  /** Reads a sort's order into the index; false when the collection changed since it was read. */
  readOrder (collection: number, index: TraitIndex, sort: BrowseSort): boolean {
    const which = sortOrder(sort)
    if (which === undefined || index.orderFor(sort) !== undefined) return true
    return this.db.transaction(() => {
      if ((this.version.get(collection) ?? 0) !== index.version) return false
      index.keepOrder(sort, this.orderIds[which].all(collection))
      return true
    })()
  }
}
