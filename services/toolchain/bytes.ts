// Byte-level reader and writer shared by the Wasm section and IT codecs.
import { InterfaceTypeError } from './errors.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function utf8Length(text: string): number {
  return encoder.encode(text).length
}

export class ByteWriter {
  private chunks: number[] = []

  byte(value: number): this {
    this.chunks.push(value & 0xff)
    return this
  }

  uleb(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new InterfaceTypeError(`cannot LEB128-encode ${value}`)
    let rest = value
    do {
      const low = rest % 128
      rest = Math.floor(rest / 128)
      this.byte(rest > 0 ? low | 0x80 : low)
    } while (rest > 0)
    return this
  }

  bytes(data: Uint8Array): this {
    for (const b of data) this.chunks.push(b)
    return this
  }

  /** IT strings carry a single length byte, so names are limited to 255 bytes. */
  shortString(text: string): this {
    const data = encoder.encode(text)
    if (data.length > 255) throw new InterfaceTypeError(`name "${text.slice(0, 40)}…" is ${data.length} bytes; at most 255 fit`)
    return this.byte(data.length).bytes(data)
  }

  /** A Wasm `name`: LEB128 length then UTF-8. */
  wasmName(text: string): this {
    const data = encoder.encode(text)
    return this.uleb(data.length).bytes(data)
  }

  get length(): number {
    return this.chunks.length
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks)
  }
}

export class ByteReader {
  offset: number

  constructor(
    readonly data: Uint8Array,
    offset = 0,
    readonly end = data.length,
  ) {
    this.offset = offset
  }

  get done(): boolean {
    return this.offset >= this.end
  }

  byte(): number {
    const value = this.data[this.offset]
    if (value === undefined || this.offset >= this.end) throw new InterfaceTypeError(`unexpected end of data at byte ${this.offset}`)
    this.offset += 1
    return value
  }

  uleb(): number {
    let result = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      const b = this.byte()
      result += (b & 0x7f) * scale
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) throw new InterfaceTypeError(`LEB128 value too large at byte ${this.offset}`)
        return result
      }
      scale *= 128
    }
    throw new InterfaceTypeError(`LEB128 value longer than 10 bytes at byte ${this.offset}`)
  }

  bytes(length: number): Uint8Array {
    if (this.offset + length > this.end) throw new InterfaceTypeError(`unexpected end of data: need ${length} bytes at ${this.offset}`)
    const out = this.data.subarray(this.offset, this.offset + length)
    this.offset += length
    return out
  }

  shortString(): string {
    return this.utf8(this.byte())
  }

  wasmName(): string {
    return this.utf8(this.uleb())
  }

  private utf8(length: number): string {
    const start = this.offset
    try {
      return decoder.decode(this.bytes(length))
    } catch (err) {
      if (err instanceof InterfaceTypeError) throw err
      throw new InterfaceTypeError(`invalid UTF-8 string at byte ${start}`)
    }
  }
}
