/**
 * Answers of the JSON-RPC reads a method marks `cacheable`, kept as the JSON text of their
 * results while the store has not changed. Any write to the database (a transaction applied, a
 * binding, a mint confirmed, a collection hidden…) moves the store's data version and empties the
 * cache at the next lookup, so an answer from here is always the one the method would make now.
 * Bounded by the characters it holds; the oldest answers go first.
 */
export interface ReadCacheInit {
  /** The store's data version (Store.dataVersion). */
  dataVersion: () => number
  /** Characters of keys and answers held at most. */
  maxChars: number
}

/** What a lookup found: the cached answer, if any, and the version an answer made now belongs to. */
export interface ReadLookup { text: string | undefined, version: number }

export class ReadCache {
  private version = -1
  private chars = 0
  private readonly answers = new Map<string, string>()

  constructor (private readonly init: ReadCacheInit) {}

  get size (): number { return this.answers.size }

  lookup (key: string): ReadLookup {
    const version = this.init.dataVersion()
    if (version !== this.version) {
      this.answers.clear()
      this.chars = 0
      this.version = version
      return { text: undefined, version }
    }
    return { text: this.answers.get(key), version }
  }

  /**
   * Keeps an answer made from the store at `version`; dropped when the store changed while it was
   * made (an async read may straddle a write), or when it alone would take a sixteenth of the cache.
   */
  keep (key: string, version: number, text: string): void {
    if (version !== this.version || version !== this.init.dataVersion()) return
    const size = key.length + text.length
    if (size > this.init.maxChars / 16) return
    const previous = this.answers.get(key)
    if (previous !== undefined) {
      this.answers.delete(key)
      this.chars -= key.length + previous.length
    }
    for (const [oldKey, oldText] of this.answers) {
      if (this.chars + size <= this.init.maxChars) break
      this.answers.delete(oldKey)
      this.chars -= oldKey.length + oldText.length
    }
    this.answers.set(key, text)
    this.chars += size
  }
}
