import { CID } from 'multiformats/cid'
import { isPlainObject } from './content.js'

/** CBOR major types, shifted into the initial byte. */
const MAJOR_UINT = 0x00
const MAJOR_NEGINT = 0x20
const MAJOR_BYTES = 0x40
const MAJOR_STRING = 0x60
const MAJOR_ARRAY = 0x80
const MAJOR_MAP = 0xa0
const FALSE = 0xf4
const TRUE = 0xf5
const NULL = 0xf6
const FLOAT64 = 0xfb
/** Tag 42 (a CID) in its two-byte form. */
const CID_TAG = [0xd8, 0x2a] as const

/** The shared buffer is kept up to this size; a larger block (rare) gets a buffer of its own. */
const MAX_SCRATCH_BYTES = 1024 * 1024

/** Strings up to this many characters are tried as ASCII first (see Writer.ascii). */
const SHORT_STRING = 256

/** Room for a version block of a typical document; the buffer doubles when one is larger. */
const INITIAL_BYTES = 4096

/**
 * dag-cbor bytes of JSON data with CID links, byte for byte what `@ipld/dag-cbor`'s `encode`
 * writes for it: the same integer and float64 forms, map keys sorted by UTF-8 length and then
 * bytes, links as tag 42 over 0x00 + the CID. It writes straight into one buffer, where
 * `@ipld/dag-cbor` builds a token per key and an array per map (a version block is encoded per
 * transaction, so that cost was a tenth of a bulk import's main thread).
 *
 * The value must have passed the checks of what it holds (checkJsonContent): NaN, infinities,
 * undefined, BigInt and anything but plain objects, arrays, strings, numbers, booleans, null and
 * CIDs throw here too, but without naming the field.
 */
export function encodeDagCborJson (value: unknown): Uint8Array {
  const writer = new Writer()
  writer.value(value)
  return writer.done()
}

/**
 * One buffer for every encoding: encoding is synchronous, so no two use it at once, and each
 * result is copied out of it. It keeps the largest size it grew to.
 */
let scratch = Buffer.allocUnsafe(INITIAL_BYTES)

class Writer {
  private buffer = scratch
  private at = 0

  done (): Uint8Array {
    // A plain Uint8Array of its own (dag-cbor hands back a Buffer or a Uint8Array, as it happens).
    const bytes = new Uint8Array(this.at)
    bytes.set(this.buffer.subarray(0, this.at))
    return bytes
  }

  value (value: unknown): void {
    switch (typeof value) {
      case 'string': return this.string(value)
      case 'number': return this.number(value)
      case 'boolean': return this.byte(value ? TRUE : FALSE)
      case 'object': {
        if (value === null) return this.byte(NULL)
        if (Array.isArray(value)) {
          this.head(MAJOR_ARRAY, value.length)
          for (const item of value as unknown[]) this.value(item)
          return
        }
        if (isPlainObject(value)) return this.map(value)
        const cid = CID.asCID(value)
        if (cid !== null) return this.link(cid)
        throw new TypeError(`cannot encode a ${value.constructor?.name ?? 'object'} as dag-cbor JSON data`)
      }
      default:
        throw new TypeError(`cannot encode a ${typeof value} as dag-cbor JSON data`)
    }
  }

  private number (value: number): void {
    if (Number.isSafeInteger(value)) {
      // -0 is an integer >= 0 here too: written as 0, as dag-cbor does.
      if (value >= 0) this.head(MAJOR_UINT, value)
      else this.head(MAJOR_NEGINT, -1 - value)
      return
    }
    if (!Number.isFinite(value)) throw new TypeError(`cannot encode ${value} as dag-cbor`)
    this.reserve(9)
    this.buffer[this.at] = FLOAT64
    this.buffer.writeDoubleBE(value, this.at + 1)
    this.at += 9
  }

  private string (value: string): void {
    if (value.length <= SHORT_STRING && this.ascii(value)) return
    const length = Buffer.byteLength(value, 'utf8')
    this.head(MAJOR_STRING, length)
    this.reserve(length)
    this.at += this.buffer.write(value, this.at, length, 'utf8')
  }

  /**
   * Writes a short string that is all ASCII (its length is then its UTF-8 length) byte by byte,
   * cheaper than two calls into Buffer's native code; false, having written nothing, if it is not.
   */
  private ascii (value: string): boolean {
    const start = this.at
    this.head(MAJOR_STRING, value.length)
    this.reserve(value.length)
    const b = this.buffer
    let at = this.at
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i)
      if (code >= 0x80) {
        this.at = start
        return false
      }
      b[at++] = code
    }
    this.at = at
    return true
  }

  private map (value: Record<string, unknown>): void {
    const keys = Object.keys(value)
    this.head(MAJOR_MAP, keys.length)
    if (keys.length === 0) return
    // dag-cbor's order: shorter UTF-8 first, then bytewise. For ASCII keys, UTF-16 order is byte order.
    const entries = keys.map(key => ({ key, bytes: isAscii(key) ? key.length : Buffer.byteLength(key, 'utf8') }))
    entries.sort(compareKeys)
    for (const { key } of entries) {
      this.string(key)
      this.value(value[key])
    }
  }

  private link (cid: CID): void {
    const bytes = cid.bytes
    this.reserve(2)
    this.buffer[this.at++] = CID_TAG[0]
    this.buffer[this.at++] = CID_TAG[1]
    this.head(MAJOR_BYTES, bytes.length + 1)
    this.byte(0)
    this.reserve(bytes.length)
    this.buffer.set(bytes, this.at)
    this.at += bytes.length
  }

  /** A major type with its argument in the shortest form. */
  private head (major: number, n: number): void {
    this.reserve(9)
    const b = this.buffer
    if (n < 24) {
      b[this.at++] = major | n
    } else if (n < 0x100) {
      b[this.at++] = major | 24
      b[this.at++] = n
    } else if (n < 0x10000) {
      b[this.at++] = major | 25
      b.writeUInt16BE(n, this.at)
      this.at += 2
    } else if (n < 0x100000000) {
      b[this.at++] = major | 26
      b.writeUInt32BE(n, this.at)
      this.at += 4
    } else {
      b[this.at++] = major | 27
      b.writeUInt32BE(Math.floor(n / 0x100000000), this.at)
      b.writeUInt32BE(n >>> 0, this.at + 4)
      this.at += 8
    }
  }

  private byte (byte: number): void {
    this.reserve(1)
    this.buffer[this.at++] = byte
  }

  private reserve (bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes))
    this.buffer.copy(grown, 0, 0, this.at)
    this.buffer = grown
    if (grown.length <= MAX_SCRATCH_BYTES) scratch = grown
  }
}

function compareKeys (a: { key: string, bytes: number }, b: { key: string, bytes: number }): number {
  if (a.bytes !== b.bytes) return a.bytes - b.bytes
  if (a.bytes === a.key.length && b.bytes === b.key.length) return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
  return Buffer.compare(Buffer.from(a.key, 'utf8'), Buffer.from(b.key, 'utf8'))
}

function isAscii (value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 0x80) return false
  return true
}
