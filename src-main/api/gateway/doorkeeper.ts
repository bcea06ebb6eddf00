/**
 * Decides whether a document read from SQLite is worth keeping in memory: yes on its second read
 * within a while, no on its first (the "doorkeeper" of TinyLFU, one hash). A crawl, or random ids
 * over a collection bigger than the cache, reads most tokens once: keeping each would push out an
 * entry per read for a hit rate no better than the cache's share of the collection, and every
 * entry kept that way outlives the young generation and is garbage in the old one, which is where
 * a busy gateway's collection time went. A token read again soon gets in.
 *
 * A bitset, hashed by the key's characters: no allocation per read. It is cleared after as many
 * first reads as a 32nd of its bits, so a mark means "read since the last clearing", and a key
 * read once is let in by a collision about one time in 64 (one in 32 just before a clearing).
 */
export class Doorkeeper {
  private readonly bits: Uint32Array
  private readonly mask: number
  private readonly clearAfter: number
  private marked = 0

  /** `size` bits (rounded up to a power of two, at least 256). */
  constructor (size: number) {
    let bits = 256
    while (bits < size) bits *= 2
    this.bits = new Uint32Array(bits / 32)
    this.mask = bits - 1
    this.clearAfter = bits / 32
  }

  /** True if `key` was seen since the last clearing; otherwise marks it and returns false. */
  admit (prefix: string, key: string): boolean {
    const slot = (hash(prefix, key) & this.mask) >>> 0
    const word = slot >>> 5
    const bit = 1 << (slot & 31)
    if (((this.bits[word] ?? 0) & bit) !== 0) return true
    this.bits[word] = (this.bits[word] ?? 0) | bit
    if (++this.marked >= this.clearAfter) {
      this.bits.fill(0)
      this.marked = 0
    }
    return false
  }
}

/** FNV-1a over the UTF-16 units of both strings (a token id alone would collide across collections). */
function hash (prefix: string, key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < prefix.length; i++) h = Math.imul(h ^ prefix.charCodeAt(i), 0x01000193)
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return h ^ (h >>> 16)
}
