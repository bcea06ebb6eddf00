/** A formatted tokenURI document and the slot heads it was made from. */
export interface CachedDocument {
  heads: string
  etag: string
  json: string
}

/**
 * The newest formatted document of recently read tokens, least recently used out first. An entry
 * is valid only while the token's slot heads are the same, so a new version is never hidden.
 */
export class DocumentCache {
  private readonly entries = new Map<string, CachedDocument>()

  constructor (private readonly maxEntries: number) {}

  get (token: string, heads: string): CachedDocument | undefined {
    const entry = this.entries.get(token)
    if (entry === undefined || entry.heads !== heads) return undefined
    // Map keeps insertion order: re-inserting marks it most recently used.
    this.entries.delete(token)
    this.entries.set(token, entry)
    return entry
  }

  set (token: string, entry: CachedDocument): void {
    this.entries.delete(token)
    this.entries.set(token, entry)
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }

  get size (): number {
    return this.entries.size
  }
}
