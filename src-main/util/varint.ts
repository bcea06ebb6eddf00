/**
 * Unsigned LEB128 varints (multiformats' unsigned-varint), the length prefix of CAR sections,
 * of sync messages and of particle frames. Values are whole numbers below 2^53.
 */

/** Bytes a reader indexes: a Uint8Array, or a list of chunks (Uint8ArrayList) read in place. */
export type VarintBytes = Uint8Array | { readonly byteLength: number, get(index: number): number }

/** A varint read: its value and how many bytes it took. */
export interface Uvarint { value: number, length: number }

/**
 * The varint at `offset`. `undefined` when the bytes end inside it (read more and ask again),
 * `null` when it runs past `maxBytes` bytes (no length the caller allows needs that many).
 */
export function readUvarint (bytes: VarintBytes, offset: number, maxBytes: number): Uvarint | undefined | null {
  const available = bytes instanceof Uint8Array ? bytes.length : bytes.byteLength
  let value = 0
  let scale = 1
  for (let i = 0; i < maxBytes; i++) {
    if (offset + i >= available) return undefined
    const byte = bytes instanceof Uint8Array ? bytes[offset + i] as number : bytes.get(offset + i)
    value += (byte & 0x7f) * scale
    if (byte < 0x80) return { value, length: i + 1 }
    scale *= 0x80
  }
  return null
}

/** The varint of `n`, a whole number below 2^53. */
export function encodeUvarint (n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a length: ${n}`)
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  out.push(n)
  return Uint8Array.from(out)
}
