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

/** An entry and whether it was read since the eviction hand last passed it. */
interface Held {
  readonly document: CachedDocument
  used: boolean
}

/**
 * Token documents by collection (token_key) and canonical token id. Nothing here checks freshness:
 * the owner drops a token's entry when a transaction touching its data_key applies, and a
 * collection's entries when its binding changes, so a hit is always the current document.
 *
 * When full, the oldest entry not read since it was last looked at goes (CLOCK, an approximation
 * of least recently used): a hit only sets a flag, where strict LRU re-inserts the entry on every
 * read, which is most of a cached read's own cost.
 */
export class DocumentCache {
  private readonly entries = new Map<string, Held>()
  /** data_key → entry key: outcomes name the data_key, requests the token id. */
  private readonly byDataKey = new Map<string, string>()

  constructor (private readonly maxEntries: number) {}

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
    // Room is made before the new entry is in, so it can never be the one that goes.
    if (!this.entries.delete(key) && this.entries.size >= this.maxEntries) this.evictOne()
    this.entries.set(key, { document, used: false })
    this.byDataKey.set(document.dataKey, key)
  }

  /** Forgets one token, after a transaction changed its slots. */
  dropToken (dataKey: string): void {
    const key = this.byDataKey.get(dataKey)
    if (key === undefined) return
    this.byDataKey.delete(dataKey)
    this.entries.delete(key)
  }

  /** Forgets every token of a collection, after its binding changed. Rare, so a scan is fine. */
  dropCollection (tokenKey: string): void {
    for (const [key, held] of this.entries) {
      if (held.document.tokenKey !== tokenKey) continue
      this.entries.delete(key)
      this.byDataKey.delete(held.document.dataKey)
    }
  }

  clear (): void {
    this.entries.clear()
    this.byDataKey.clear()
  }

  get size (): number {
    return this.entries.size
  }

  get isFull (): boolean {
    return this.entries.size >= this.maxEntries
  }

  private evictOne (): void {
    // Map order is the clock face: a read entry loses its flag and moves to the back, so the
    // walk ends at the latest when it comes round to the first entry it passed.
    for (const [key, held] of this.entries) {
      if (held.used) {
        held.used = false
        this.entries.delete(key)
        this.entries.set(key, held)
        continue
      }
      this.entries.delete(key)
      this.byDataKey.delete(held.document.dataKey)
      return
    }
  }
}
