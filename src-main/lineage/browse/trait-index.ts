import type { Database, Statement } from 'better-sqlite3'
import { CARD_CHANGES_KEPT } from '../../store/index.js'
import { ORDER_SQL } from './query.js'
import type { BrowseSort } from './query.js'

/**
 * A card's place in its collection's token id order (0 is the lowest id): what the in-memory
 * index is written in, so a match set is a bit per card and the id sort is the position order.
 */
type Position = number

/**
 * The cards matching a page's search and filters: a bit per position (position p is bit p % 32
 * of word p / 32), and how many are set. A bit rather than a byte: intersecting, clearing and
 * walking a set of 1,000,000 cards is 31,250 words.
 */
export interface MatchSet { bits: Uint32Array, count: number }

/** One condition of a page: the text's matches (no type) or a trait type's. */
export interface Condition { type: string | undefined, set: MatchSet }

/** What an index that changes only values shares with the one it was made from. */
interface SameCards { base: number, positions: Int32Array, forwardStart: Int32Array, forward: Int32Array }

/** A card new to an index: where it goes (how many of the index's positions come before it), and its values. */
export interface AddedCard { id: number, before: number, values: ReadonlyArray<readonly [string, string]> }

/** What changed in a collection since an index was read (see `TraitIndex.changed`). */
export interface IndexChange {
  gone: readonly number[]
  changed: ReadonlyArray<{ id: number, values: ReadonlyArray<readonly [string, string]> }>
  added: readonly AddedCard[]
}

/** A trait value's row of a count: its type, its value and how many cards hold it. */
export type ValueCount = [string, string, number]

interface TraitValue {
  type: string
  value: string
  postings: Int32Array
  /** The same cards as a bit set, made on first use for a value more than one card in 32 holds (then it is the smaller). */
  bits?: Uint32Array
}

/** Bytes of search words' matches an index keeps (16 words at 1,000,000 cards). */
const KEPT_WORD_BYTES = 16 * 1024 * 1024

/** Bit sets a page borrows at most from its index (a page with two filters uses three). */
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
  /** Bit sets lent to one page's conditions and matches (see `startPage`), so a page allocates none. */
  private readonly scratch: Uint32Array[] = []
  private lent = 0
  /** The cards each search word (as a prefix) matches, least recently used first; see `wordMatches`. */
  private readonly words = new Map<string, MatchSet>()
  private wordBytes = 0

  /**
   * `values`: each value's cards, by card id (`cards`), or already as ascending positions in
   * `cards` (`postings`: how a changed index is made, see `changed`).
   */
  constructor (readonly version: number, cards: Int32Array, values: Array<{ type: string, value: string, cards?: Int32Array, postings?: Int32Array, bits?: Uint32Array }>, same?: SameCards) {
    this.cards = cards
    this.size = cards.length
    if (same !== undefined) {
      // The cards of an index this one changes only the values of: their places are shared.
      this.base = same.base
      this.positions = same.positions
      this.forwardStart = same.forwardStart
      this.forward = same.forward
      this.values = values.map(({ type, value, postings, bits }, v) => {
        const byValue = this.valuesOfType.get(type) ?? new Map<string, number>()
        byValue.set(value, v)
        this.valuesOfType.set(type, byValue)
        // A value whose cards did not change keeps its bit set (the places are the same).
        return { type, value, postings: postings ?? new Int32Array(0), ...(bits === undefined ? {} : { bits }) }
      })
      return
    }
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
    let unsorted = false
    this.values = values.map(({ type, value, cards: holders, postings: given }, v) => {
      const byValue = this.valuesOfType.get(type) ?? new Map<string, number>()
      byValue.set(value, v)
      this.valuesOfType.set(type, byValue)
      if (given !== undefined) {
        for (let i = 0; i < given.length; i++) {
          const at = (given[i] as number) + 1
          perCard[at] = (perCard[at] as number) + 1
        }
        return { type, value, postings: given }
      }
      const postings = new Int32Array(holders?.length ?? 0)
      let n = 0
      for (const id of holders ?? []) {
        const p = this.position(id)
        if (p === undefined) continue
        if (n > 0 && p < (postings[n - 1] as number)) unsorted = true
        postings[n++] = p
        perCard[p + 1] = (perCard[p + 1] as number) + 1
      }
      return { type, value, postings: postings.subarray(0, n) }
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
    // Cards written in token id order (a folder import) come in position order. Else every
    // value's positions are laid out again in order from the per-card values, one pass instead
    // of a sort of each list (260 against about 30 ms for 5,000,000 positions).
    if (unsorted) {
      const next = new Int32Array(this.values.length)
      for (let p = 0; p < this.size; p++) {
        for (let j = perCard[p] as number, end = perCard[p + 1] as number; j < end; j++) {
          const v = this.forward[j] as number
          const at = next[v] as number
          const { postings } = this.values[v] as TraitValue
          postings[at] = p
          next[v] = at + 1
        }
      }
    }
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
    this.wordBytes += set.bits.byteLength
    for (const [kept, { bits }] of this.words) {
      if (this.wordBytes <= KEPT_WORD_BYTES || kept === word) break
      this.words.delete(kept)
      this.wordBytes -= bits.byteLength
    }
    return set
  }

  /**
   * This index with some cards changed, as of `version`: `gone` (card ids) left out, `changed`
   * (cards it holds) given their values now, `added` (new cards, in token id order, each with how
   * many of this index's positions come before it) put in their place. One pass over the cards
   * and the postings, no sort and no SQLite: a few milliseconds at 1,000,000 cards where reading
   * the collection again took 1.3 s. Kept orders and search words are not carried over (the
   * names, times and texts they hold may be what changed).
   */
  changed (version: number, change: IndexChange): TraitIndex {
    const oldSize = this.size
    const GONE = 1
    const RESET = 2
    const dropped = new Uint8Array(oldSize)
    for (const id of change.gone) {
      const p = this.position(id)
      if (p !== undefined) dropped[p] = GONE
    }
    for (const { id } of change.changed) {
      const p = this.position(id)
      if (p !== undefined && dropped[p] === 0) dropped[p] = RESET
    }
    let goneCount = 0
    for (let p = 0; p < oldSize; p++) goneCount += dropped[p] === GONE ? 1 : 0
    const added = change.added
    // A card named twice holds what it was given last.
    const reset = new Map(change.changed.map(({ id, values: held }) => [id, held]))
    if (goneCount === 0 && added.length === 0) return this.valuesChanged(version, reset)
    const cards = new Int32Array(oldSize - goneCount + added.length)
    const moved = new Int32Array(oldSize)
    const addedAt = new Int32Array(added.length)
    let q = 0
    let a = 0
    for (let p = 0; p <= oldSize; p++) {
      while (a < added.length && (added[a] as AddedCard).before <= p) {
        cards[q] = (added[a] as AddedCard).id
        addedAt[a++] = q++
      }
      if (p === oldSize) break
      if (dropped[p] === GONE) {
        moved[p] = -1
        continue
      }
      cards[q] = this.cards[p] as number
      moved[p] = q++
    }
    // Each value's new holders, by value index (a value not held before is appended).
    const values: TraitValue[] = this.values.map(v => ({ type: v.type, value: v.value, postings: v.postings }))
    const valueIndex = this.valueIndexer(values)
    const joins = new Map<number, number[]>()
    const join = (position: number, held: ReadonlyArray<readonly [string, string]>): void => {
      for (const [type, value] of held) {
        const v = valueIndex(type, value)
        const list = joins.get(v) ?? []
        list.push(position)
        joins.set(v, list)
      }
    }
    for (const [id, held] of reset) {
      const p = this.position(id)
      if (p !== undefined && dropped[p] === RESET) join(moved[p] as number, held)
    }
    added.forEach((card, i) => { join(addedAt[i] as number, card.values) })
    const shifted = goneCount > 0 || added.length > 0
    const postingsNow = values.map(({ type, value, postings: old }, v) => {
      const joined = joins.get(v) ?? []
      if (!shifted && reset.size === 0 && joined.length === 0) return { type, value, postings: old }
      return { type, value, postings: mergePositions(old, joined, p => dropped[p] === 0 ? moved[p] as number : -1) }
    })
    return new TraitIndex(version, cards, postingsNow)
  }

  /**
   * The common change after an edit: cards that stay, some holding other values. Their places,
   * and every value none of them joined or left, are shared with this index; only the postings of
   * the values they moved between are copied, and the per-card values patched.
   */
  private valuesChanged (version: number, reset: ReadonlyMap<number, ReadonlyArray<readonly [string, string]>>): TraitIndex {
    const values: TraitValue[] = this.values.map(v => ({ ...v }))
    const valueIndex = this.valueIndexer(values)
    const leaving = new Map<number, number[]>()
    const joining = new Map<number, number[]>()
    const holdsNow = new Map<number, number[]>()
    const add = (lists: Map<number, number[]>, v: number, p: number): void => {
      const list = lists.get(v) ?? []
      list.push(p)
      lists.set(v, list)
    }
    let sameCounts = true
    for (const [id, held] of reset) {
      const p = this.position(id)
      if (p === undefined) continue
      const before = new Set(this.forward.subarray(this.forwardStart[p], this.forwardStart[p + 1]))
      const now = new Set(held.map(([type, value]) => valueIndex(type, value)))
      for (const v of before) if (!now.has(v)) add(leaving, v, p)
      for (const v of now) if (!before.has(v)) add(joining, v, p)
      holdsNow.set(p, [...now])
      if (now.size !== before.size) sameCounts = false
    }
    for (const v of new Set([...leaving.keys(), ...joining.keys()])) {
      const entry = values[v] as TraitValue
      const gone = new Set(leaving.get(v))
      entry.postings = mergePositions(entry.postings, joining.get(v) ?? [], p => gone.has(p) ? -1 : p)
      delete entry.bits
    }
    let forwardStart = this.forwardStart
    let forward: Int32Array
    if (leaving.size === 0 && joining.size === 0) {
      // No card holds other values (its text or time changed): shared as they are.
      forward = this.forward
    } else if (sameCounts) {
      forward = this.forward.slice()
      for (const [p, held] of holdsNow) forward.set(held, forwardStart[p])
    } else {
      forwardStart = new Int32Array(this.size + 1)
      for (let p = 0; p < this.size; p++) {
        const count = holdsNow.get(p)?.length ?? (this.forwardStart[p + 1] as number) - (this.forwardStart[p] as number)
        forwardStart[p + 1] = (forwardStart[p] as number) + count
      }
      forward = new Int32Array(forwardStart[this.size] as number)
      // The unchanged cards between two changed ones in one copy.
      let from = 0
      for (const p of [...holdsNow.keys()].sort((x, y) => x - y)) {
        forward.set(this.forward.subarray(this.forwardStart[from], this.forwardStart[p]), forwardStart[from])
        forward.set(holdsNow.get(p) ?? [], forwardStart[p])
        from = p + 1
      }
      forward.set(this.forward.subarray(this.forwardStart[from], this.forwardStart[this.size]), forwardStart[from])
    }
    return new TraitIndex(version, this.cards, values, { base: this.base, positions: this.positions, forwardStart, forward })
  }

  /** A value's index in a changed index's `values` (copied from this one's), appended when new. */
  private valueIndexer (values: TraitValue[]): (type: string, value: string) => number {
    const indexOf = new Map<string, Map<string, number>>()
    for (const [type, byValue] of this.valuesOfType) indexOf.set(type, new Map(byValue))
    return (type, value) => {
      const byValue = indexOf.get(type) ?? new Map<string, number>()
      indexOf.set(type, byValue)
      let v = byValue.get(value)
      if (v === undefined) {
        v = values.push({ type, value, postings: new Int32Array(0) }) - 1
        byValue.set(value, v)
      }
      return v
    }
  }

  /** Bytes of typed arrays held (what the browser's memory bound counts). */
  get bytes (): number {
    let bytes = this.cards.byteLength + this.positions.byteLength + this.forwardStart.byteLength + this.forward.byteLength
    for (const { postings, bits } of this.values) bytes += postings.byteLength + (bits?.byteLength ?? 0)
    for (const order of this.orders.values()) bytes += order.byteLength
    for (const bits of this.scratch) bytes += bits.byteLength
    return bytes + this.wordBytes
  }

  /**
   * Starts a page: the bit sets lent to the last one's conditions and matches are taken back
   * (a page's answer is made before the next starts), so a page allocates none.
   */
  startPage (): void {
    this.lent = 0
  }

  /** Words of a bit set over this index's cards. */
  private get words32 (): number {
    return (this.size + 31) >>> 5
  }

  /** An empty bit set for this page: a kept one while SCRATCH_ARRAYS are lent, then a new one. */
  private borrow (): Uint32Array {
    if (this.lent >= SCRATCH_ARRAYS) return new Uint32Array(this.words32)
    let bits = this.scratch[this.lent]
    if (bits === undefined) {
      bits = new Uint32Array(this.words32)
      this.scratch.push(bits)
    } else {
      bits.fill(0)
    }
    this.lent++
    return bits
  }

  /** A value's cards as a bit set, when more than one card in 32 holds it; made once. */
  private valueBits (value: TraitValue): Uint32Array | undefined {
    if (value.bits !== undefined) return value.bits
    const { postings } = value
    if (postings.length * 32 <= this.size) return undefined
    const bits = new Uint32Array(this.words32)
    for (let i = 0; i < postings.length; i++) {
      const p = postings[i] as number
      bits[p >>> 5] = (bits[p >>> 5] as number) | (1 << (p & 31))
    }
    value.bits = bits
    return bits
  }

  position (cardId: number): Position | undefined {
    const p = this.positions[cardId - this.base]
    return p === undefined || p === 0 ? undefined : p - 1
  }

  /** The cards among `cardIds` (a text search's matches, which span every collection). */
  flagsOf (cardIds: Iterable<number>): MatchSet {
    const bits = new Uint32Array(this.words32)
    let count = 0
    for (const id of cardIds) {
      const p = this.position(id)
      if (p === undefined) continue
      const bit = 1 << (p & 31)
      const word = bits[p >>> 5] as number
      if ((word & bit) === 0) {
        bits[p >>> 5] = word | bit
        count++
      }
    }
    return { bits, count }
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
    const bits = this.borrow()
    bits.set(first.bits)
    let count = first.count
    const words = bits.length
    for (const set of rest) {
      const other = set.bits
      count = 0
      for (let w = 0; w < words; w++) {
        const both = ((bits[w] as number) & (other[w] as number)) >>> 0
        bits[w] = both
        if (both !== 0) count += bitCount(both)
      }
    }
    return { bits, count }
  }

  /** The cards holding one of a type's values. */
  private holding (type: string, values: readonly string[]): MatchSet {
    const bits = this.borrow()
    let count = 0
    const byValue = this.valuesOfType.get(type)
    for (const value of values) {
      const v = byValue?.get(value)
      if (v === undefined) continue
      const { postings } = this.values[v] as TraitValue
      // One value: its cards are distinct. Several: a card holding two is counted once.
      const valueBits = values.length === 1 ? this.valueBits(this.values[v] as TraitValue) : undefined
      if (valueBits !== undefined) {
        bits.set(valueBits)
        count = postings.length
      } else if (values.length === 1) {
        for (let i = 0; i < postings.length; i++) {
          const p = postings[i] as number
          bits[p >>> 5] = (bits[p >>> 5] as number) | (1 << (p & 31))
        }
        count = postings.length
      } else {
        for (let i = 0; i < postings.length; i++) {
          const p = postings[i] as number
          const bit = 1 << (p & 31)
          const word = bits[p >>> 5] as number
          if ((word & bit) === 0) count++
          bits[p >>> 5] = word | bit
        }
      }
    }
    return { bits, count }
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
    } else if (wanted !== undefined || this.byValueCost() < this.byCardCost(match)) {
      for (const v of wanted ?? this.values.keys()) counts[v] = this.heldAmong(v, match.bits)
    } else {
      const dense = match.count > this.size / 2
      if (dense) this.values.forEach(({ postings }, v) => { counts[v] = postings.length })
      const step = dense ? -1 : 1
      const { bits } = match
      const { size, forwardStart, forward } = this
      for (let w = 0; w < bits.length; w++) {
        // The cards counted in this word: the matches, or (dense) the others within the collection.
        let word = dense ? ~(bits[w] as number) & wordMask(w, size) : bits[w] as number
        while (word !== 0) {
          const low = word & -word
          const p = (w << 5) + 31 - Math.clz32(low)
          word ^= low
          for (let j = forwardStart[p] as number, end = forwardStart[p + 1] as number; j < end; j++) {
            const v = forward[j] as number
            counts[v] = (counts[v] as number) + step
          }
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

  /** How many of `bits`' cards hold value `v`. */
  private heldAmong (v: number, bits: Uint32Array): number {
    const value = this.values[v] as TraitValue
    const valueBits = this.valueBits(value)
    let n = 0
    if (valueBits !== undefined) {
      // A value many cards hold: its set and the matches, a word at a time.
      for (let w = 0; w < bits.length; w++) {
        const both = (bits[w] as number) & (valueBits[w] as number)
        if (both !== 0) n += bitCount(both)
      }
      return n
    }
    const { postings } = value
    for (let i = 0; i < postings.length; i++) {
      const p = postings[i] as number
      n += ((bits[p >>> 5] as number) >>> (p & 31)) & 1
    }
    return n
  }

  /**
   * Rough steps of counting every value by `heldAmong`: a word of a bit set (with its bit count)
   * costs about three positions of a list. Against `byCardCost`, what the matches' (or, past
   * half, the others') per-card values cost.
   */
  private byValueCost (): number {
    let steps = 0
    for (const { postings } of this.values) steps += postings.length * 32 > this.size ? 3 * this.words32 : postings.length
    return steps
  }

  private byCardCost (match: MatchSet): number {
    const counted = match.count > this.size / 2 ? this.size - match.count : match.count
    return this.size === 0 ? 0 : counted * this.forward.length / this.size
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
    const { bits } = match
    let skipped = 0
    if (order !== undefined) {
      for (let i = 0; i < size && ids.length < limit; i++) {
        const p = order[backwards ? size - 1 - i : i] as number
        if ((((bits[p >>> 5] as number) >>> (p & 31)) & 1) === 0) continue
        if (skipped < offset) skipped++
        else ids.push(cards[p] as number)
      }
      return ids
    }
    // Id order: whole words skipped by their count until the offset is reached.
    const words = bits.length
    for (let i = 0; i < words && ids.length < limit; i++) {
      const w = backwards ? words - 1 - i : i
      let word = bits[w] as number
      if (word === 0) continue
      const inWord = bitCount(word)
      if (skipped + inWord <= offset) {
        skipped += inWord
        continue
      }
      while (word !== 0 && ids.length < limit) {
        // Forwards the lowest bit first, backwards the highest.
        const bit = backwards ? 31 - Math.clz32(word) : 31 - Math.clz32(word & -word)
        word = (word & ~(1 << bit)) >>> 0
        if (skipped < offset) skipped++
        else ids.push(cards[(w << 5) + bit] as number)
      }
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

/**
 * A value's positions after a change: each of `old` (ascending) where `now` puts it (−1: left
 * out; `now` keeps the order), with `joined` merged in, ascending.
 */
function mergePositions (old: Int32Array, joined: number[], now: (p: number) => number): Int32Array {
  joined.sort((x, y) => x - y)
  const positions = new Int32Array(old.length + joined.length)
  let n = 0
  let j = 0
  for (let i = 0; i < old.length; i++) {
    const p = now(old[i] as number)
    if (p < 0) continue
    while (j < joined.length && (joined[j] as number) < p) positions[n++] = joined[j++] as number
    positions[n++] = p
  }
  while (j < joined.length) positions[n++] = joined[j++] as number
  return n === positions.length ? positions : positions.slice(0, n)
}

/** Set bits of a 32-bit word. */
function bitCount (word: number): number {
  let x = word - ((word >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/** The bits of word `w` that are positions below `size` (the last word's tail is no card). */
function wordMask (w: number, size: number): number {
  const past = size - (w << 5)
  return past >= 32 ? -1 : (1 << past) - 1
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
  private readonly changesSince: Statement<[number, number], number>
  private readonly orderKey: Statement<[number, number], string>
  private readonly valuesOfCard: Statement<[number], [string, string]>

  constructor (private readonly db: Database) {
    this.version = db.prepare<[number], number>('SELECT version FROM card_collections WHERE id = ?').pluck()
    this.cardIds = db.prepare<[number], number>(`SELECT c.id FROM token_cards c WHERE c.collection = ? ORDER BY ${ORDER_SQL.token_id}`).pluck()
    this.values = db.prepare<[number], [number, string, string]>('SELECT id, trait_type, value FROM trait_values WHERE collection = ? ORDER BY id').raw()
    this.cardsOfValue = db.prepare<[number], number>('SELECT card FROM token_traits WHERE value_id = ?').pluck()
    this.orderIds = {
      name: db.prepare<[number], number>(`SELECT c.id FROM token_cards c WHERE c.collection = ? ORDER BY ${ORDER_SQL.name}`).pluck(),
      updated: db.prepare<[number], number>(`SELECT c.id FROM token_cards c WHERE c.collection = ? ORDER BY ${ORDER_SQL.updated}`).pluck(),
    }
    this.changesSince = db.prepare<[number, number], number>('SELECT card FROM card_changes WHERE collection = ? AND version > ?').pluck()
    this.orderKey = db.prepare<[number, number], string>(`SELECT ${ORDER_SQL.token_id} FROM token_cards c WHERE c.id = ? AND c.collection = ?`).pluck()
    this.valuesOfCard = db.prepare<[number], [string, string]>('SELECT v.trait_type, v.value FROM token_traits t JOIN trait_values v ON v.id = t.value_id WHERE t.card = ?').raw()
  }

  /**
   * The index brought to the collection as it is now by the journal of its card changes (store
   * migration 26): only the cards that changed are read. Undefined when the journal no longer
   * reaches back to the index's version (more than CARD_CHANGES_KEPT changes): read it whole then.
   */
  mend (collection: number, index: TraitIndex): TraitIndex | undefined {
    return this.db.transaction(() => {
      const version = this.version.get(collection) ?? 0
      const steps = version - index.version
      if (steps <= 0 || steps > CARD_CHANGES_KEPT) return undefined
      const changes = this.changesSince.all(collection, index.version)
      // A row for every step, or the journal was pruned past the index (or written before it existed).
      if (changes.length !== steps) return undefined
      const gone: number[] = []
      const changed: Array<{ id: number, values: Array<[string, string]> }> = []
      const fresh: Array<{ id: number, key: string, values: Array<[string, string]> }> = []
      for (const id of new Set(changes)) {
        const key = this.orderKey.get(id, collection)
        if (key === undefined) gone.push(id)
        else if (index.position(id) !== undefined) changed.push({ id, values: this.valuesOfCard.all(id) })
        else fresh.push({ id, key, values: this.valuesOfCard.all(id) })
      }
      const goneIds = new Set(gone)
      fresh.sort((x, y) => x.key < y.key ? -1 : x.key > y.key ? 1 : 0)
      const added = fresh.map(card => ({ id: card.id, before: this.placeOf(collection, index, card.key, goneIds), values: card.values }))
      return index.changed(version, { gone, changed, added })
    })()
  }

  /**
   * How many of the index's cards come before a token id order key: a binary search reading the
   * key of each card it probes. A card deleted since is passed over (it is left out anyway).
   */
  private placeOf (collection: number, index: TraitIndex, key: string, gone: ReadonlySet<number>): number {
    let low = 0
    let high = index.size
    while (low < high) {
      const middle = (low + high) >>> 1
      let probe = middle
      while (probe < high && gone.has(index.cards[probe] as number)) probe++
      const probed = probe < high ? this.orderKey.get(index.cards[probe] as number, collection) : undefined
      if (probed === undefined) high = middle
      else if (probed < key) low = probe + 1
      else high = middle
    }
    return low
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
