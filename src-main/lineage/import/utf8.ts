import { Buffer, isUtf8 } from 'node:buffer'

/**
 * UTF-8 decoding that keeps every byte: a byte that is not part of a valid UTF-8 sequence
 * becomes the lone surrogate U+DC80 + (byte − 0x80) for bytes ≥ 0x80 (a "surrogate escape").
 * Valid UTF-8 never decodes to a lone surrogate, so a lone surrogate in the result marks exactly
 * the bytes that were not UTF-8, and `shownText` turns each back into `\xNN`. Valid input (the
 * usual case) is decoded natively; only a piece holding a bad byte is walked byte by byte.
 */
export function decodeKeepingBytes (bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return isUtf8(buffer) ? buffer.toString('utf8') : decodeSlowly(buffer)
}

/** A lone UTF-16 surrogate: what `decodeKeepingBytes` leaves for a byte that is not UTF-8. */
export const LONE_SURROGATE = /\p{Cs}/u

/** First code unit of the surrogate escapes of bytes 0x80–0xFF (bytes below 0x80 are always valid). */
const ESCAPE_BASE = 0xdc00

/** The byte a surrogate escape stands for, or undefined for any other code unit. */
export function escapedByte (codeUnit: number): number | undefined {
  return codeUnit >= ESCAPE_BASE + 0x80 && codeUnit <= ESCAPE_BASE + 0xff ? codeUnit - ESCAPE_BASE : undefined
}

/**
 * A streaming `decodeKeepingBytes` for chunks that may split a character: the bytes of a
 * character cut at the end of a chunk wait for the next one.
 */
export class KeepingBytesDecoder {
  private carry: Buffer = Buffer.alloc(0)

  decode (chunk: Uint8Array): string {
    const data = this.carry.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.carry, chunk])
    const cut = completeLength(data)
    this.carry = Buffer.from(data.subarray(cut))
    return decodeKeepingBytes(data.subarray(0, cut))
  }

  end (): string {
    const rest = this.carry
    this.carry = Buffer.alloc(0)
    return rest.length === 0 ? '' : decodeKeepingBytes(rest)
  }
}

/** Bytes a UTF-8 sequence starting with `lead` has, or 0 if `lead` cannot start one. */
function sequenceLength (lead: number): number {
  if (lead < 0x80) return 1
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0
}

/** Length of `data` without a character its end cuts short (at most 3 bytes are held back). */
function completeLength (data: Buffer): number {
  for (let back = 1; back <= Math.min(3, data.length); back++) {
    const byte = data[data.length - back] as number
    if ((byte & 0xc0) === 0x80) continue
    const length = sequenceLength(byte)
    return length > back ? data.length - back : data.length
  }
  return data.length
}

function decodeSlowly (data: Buffer): string {
  let out = ''
  let i = 0
  while (i < data.length) {
    const length = validSequenceAt(data, i)
    if (length === 0) {
      out += String.fromCharCode(ESCAPE_BASE + (data[i] as number))
      i++
    } else {
      out += data.toString('utf8', i, i + length)
      i += length
    }
  }
  return out
}

/** Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF), or 0. */
function validSequenceAt (data: Buffer, i: number): number {
  const lead = data[i] as number
  const length = sequenceLength(lead)
  if (length <= 1 || i + length > data.length) return length === 1 ? 1 : 0
  const second = data[i + 1] as number
  // The second byte's range depends on the lead (Unicode table 3-7).
  const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80
  const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf
  if (second < low || second > high) return 0
  for (let k = 2; k < length; k++) {
    if (((data[i + k] as number) & 0xc0) !== 0x80) return 0
  }
  return length
}
