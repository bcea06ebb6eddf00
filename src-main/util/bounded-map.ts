/**
 * A Map that holds at most `capacity` entries: setting a new key when it is full drops the
 * oldest one first (insertion order). A hit costs what a Map's `get` costs, so memos on hot paths
 * (decoded keys, prepared statements, trait value ids) use it in place of a Map that is cleared
 * when it fills. Not least-recently-used: re-ordering on every hit would cost each hit a delete
 * and a set, and the memos it serves see the same few keys again and again.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly capacity: number

  constructor (capacity: number) {
    super()
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`a bounded map holds at least one entry, not ${capacity}`)
    this.capacity = capacity
  }

  override set (key: K, value: V): this {
    if (this.size >= this.capacity && !this.has(key)) {
      const oldest = this.keys().next()
      if (oldest.done !== true) this.delete(oldest.value)
    }
    return super.set(key, value)
  }

  /** The value under `key`, made by `make` (and kept) when there is none. */
  getOrSet (key: K, make: () => V): V {
    let value = this.get(key)
    if (value === undefined) {
      value = make()
      this.set(key, value)
    }
    return value
  }
}
