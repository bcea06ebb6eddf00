// A growable buffer of UTF-16 code units. AssemblyScript strings are immutable and `+` copies
// both sides, so text built piece by piece goes through this buffer and becomes a string once.

const INITIAL_CAPACITY: i32 = 16;

export class CodeUnitBuffer {
  private units: Uint16Array;
  private used: i32 = 0;

  constructor(capacity: i32 = INITIAL_CAPACITY) {
    this.units = new Uint16Array(capacity > 0 ? capacity : INITIAL_CAPACITY);
  }

  get length(): i32 {
    return this.used;
  }

  push(unit: i32): void {
    if (this.used == this.units.length) this.grow(this.used + 1);
    this.units[this.used] = <u16>unit;
    this.used++;
  }

  pushString(text: string): void {
    const count = text.length;
    if (this.used + count > this.units.length) this.grow(this.used + count);
    for (let i = 0; i < count; i++) this.units[this.used + i] = <u16>text.charCodeAt(i);
    this.used += count;
  }

  /** Appends `text.substring(start, end)` without creating the substring. */
  pushRange(text: string, start: i32, end: i32): void {
    const count = end - start;
    if (count <= 0) return;
    if (this.used + count > this.units.length) this.grow(this.used + count);
    for (let i = 0; i < count; i++) this.units[this.used + i] = <u16>text.charCodeAt(start + i);
    this.used += count;
  }

  toString(): string {
    return String.UTF16.decodeUnsafe(this.units.dataStart, <usize>this.used << 1);
  }

  private grow(minimum: i32): void {
    let capacity = this.units.length << 1;
    if (capacity < minimum) capacity = minimum;
    const larger = new Uint16Array(capacity);
    larger.set(this.units.subarray(0, this.used));
    this.units = larger;
  }
}
