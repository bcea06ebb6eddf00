/** A token's tokenURI response, made once per version of its slots and sent as is. */
export interface TokenDocument {
  readonly found: true
  /** The collection and token it was made for: an applied transaction names these. */
  readonly tokenKey: string
  readonly dataKey: string
  /** Quoted, as sent; derived from the slot heads, so it moves exactly when the document can. */
  readonly etag: string
  readonly json: string
}

/** A token of a bound collection that has no slots under its contract (yet): a 404. */
export interface MissingDocument {
  readonly found: false
  readonly tokenKey: string
  readonly dataKey: string
}

export type CachedDocument = TokenDocument | MissingDocument

/** An entry, what it costs in memory (estimated), and whether it was read since the eviction hand last passed it. */
interface Held {
  readonly document: CachedDocument
  readonly bytes: number
  used: boolean
}

/**
 * What an entry costs beyond its body and ETag: its key, its Map slots, the two small objects and
 * the data_key string (about 180 bytes measured with V8 heap snapshots, rounded up).
 */
export const ENTRY_OVERHEAD_BYTES = 256

/** Memory an entry is counted as: one byte a UTF-16 unit (V8 keeps ASCII strings one byte a character). */
export function entryBytes (document: CachedDocument): number {
  return ENTRY_OVERHEAD_BYTES + (document.found ? document.json.length + document.etag.length : 0)
}

/**
 * Token documents by collection (token_key) and canonical token id. Nothing here checks freshness:
 * the owner drops a token's entry when a transaction touching its data_key applies, and a
 * collection's entries when its binding changes, so a hit is always the current document.
 *
 * Bounded twice: by entries, and by the bytes its entries are counted as (`entryBytes`), so a
 * collection of large documents holds fewer of them. A document bigger than the whole byte limit
 * is not kept at all (it is read from SQLite each time).
 *
 * When full, the oldest entry not read since it was last looked at goes (CLOCK, an approximation
 * of least recently used): a hit only sets a flag, where strict LRU re-inserts the entry on every
 * read, which is most of a cached read's own cost.
 */
export class DocumentCache {
  private readonly entries = new Map<string, Held>()
  /** data_key → entry key: outcomes name the data_key, requests the token id. */
  private readonly byDataKey = new Map<string, string>()
  private heldBytes = 0
  /**
   * The eviction hand: a live iterator, so each eviction goes on where the last stopped. Starting
   * a new walk each time would step again over every slot deleted at the front of the Map (V8
   * frees them only when the table is rebuilt), which made each miss cost more the longer it ran.
   */
  private hand: MapIterator<[string, Held]> | undefined

  constructor (private readonly maxEntries: number, private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  get (tokenKey: string, tokenId: string): CachedDocument | undefined {
    const held = this.entries.get(`${tokenKey}/${tokenId}`)
    if (held === undefined) return undefined
    held.used = true
    return held.document
  }

  /** Whether a token is held, without counting as a read. */
  has (tokenKey: string, tokenId: string): boolean {
    return this.entries.has(`${tokenKey}/${tokenId}`)
  }

  /** Whether a token is held, by its data_key. */
  hasDataKey (dataKey: string): boolean {
    return this.byDataKey.has(dataKey)
  }

  set (tokenId: string, document: CachedDocument): void {
    const key = `${document.tokenKey}/${tokenId}`
    const bytes = entryBytes(document)
    this.forget(key)
    if (bytes > this.maxBytes) return
    // Room is made before the new entry is in, so it can never be the one that goes.
    while (this.entries.size > 0 && (this.entries.size >= this.maxEntries || this.heldBytes + bytes > this.maxBytes)) this.evictOne()
    this.entries.set(key, { document, bytes, used: false })
    this.heldBytes += bytes
    this.byDataKey.set(document.dataKey, key)
  }

  /** Forgets one token, after a transaction changed its slots. */
  dropToken (dataKey: string): void {
    const key = this.byDataKey.get(dataKey)
    if (key === undefined) return
    this.forget(key)
  }

  /**
   * Forgets a collection's tokens whose ids are from `from` to `to` (bigints: an EIP-4906 range
   * may name 2^256 ids, so the held entries are scanned, never the range). Answers how many went.
   */
  dropRange (tokenKey: string, from: bigint, to: bigint): number {
    let dropped = 0
    const prefix = `${tokenKey}/`
    for (const key of [...this.entries.keys()]) {
      if (!key.startsWith(prefix)) continue
      const id = BigInt(key.slice(prefix.length))
      if (id >= from && id <= to) { this.forget(key); dropped++ }
    }
    return dropped
  }

  /** Forgets one token by its id, answering whether it was held. */
  dropId (tokenKey: string, tokenId: string): boolean {
    const key = `${tokenKey}/${tokenId}`
    if (!this.entries.has(key)) return false
    this.forget(key)
    return true
  }

  /** Forgets every token of a collection, after its binding changed. Rare, so a scan is fine. */
  dropCollection (tokenKey: string): void {
    for (const [key, held] of this.entries) {
      if (held.document.tokenKey === tokenKey) this.forget(key)
    }
  }

  clear (): void {
    this.hand = undefined
    this.entries.clear()
    this.byDataKey.clear()
    this.heldBytes = 0
  }

  get size (): number {
    return this.entries.size
  }

  /** Memory the entries are counted as (`entryBytes`), at most the byte limit. */
  get bytes (): number {
    return this.heldBytes
  }

  /** No room for another entry of typical size without evicting one. */
  get isFull (): boolean {
    return this.entries.size >= this.maxEntries || this.heldBytes + 4 * ENTRY_OVERHEAD_BYTES > this.maxBytes
  }

  private forget (key: string): void {
    const held = this.entries.get(key)
    if (held === undefined) return
    this.entries.delete(key)
    this.heldBytes -= held.bytes
    // Only if it still names this entry: the data_key may since name the token under another key.
    if (this.byDataKey.get(held.document.dataKey) === key) this.byDataKey.delete(held.document.dataKey)
  }

  private evictOne (): void {
    // Map order is the clock face: a read entry loses its flag and moves to the back, so the
    // walk ends at the latest when it comes round to the first entry it passed.
    for (;;) {
      this.hand ??= this.entries.entries()
      const next = this.hand.next()
      if (next.done === true) {
        this.hand = undefined
        if (this.entries.size === 0) return
        continue
      }
      const [key, held] = next.value
      if (held.used) {
        held.used = false
        this.entries.delete(key)
        this.entries.set(key, held)
        continue
      }
      this.forget(key)
      return
    }
  }
}
