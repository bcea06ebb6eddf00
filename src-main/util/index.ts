/**
 * Small shared pieces with no dependencies, each used by several folders so that each thing is
 * done one way: the bounded memo, and the varint length prefix.
 *
 * @example
 * const memo = new BoundedMap<string, Uint8Array>(1024)
 * const bytes = memo.getOrSet(text, () => decode(text))
 * const prefix = readUvarint(frame, 0, 9) // { value, length }, undefined (more bytes), or null (too long)
 */
export { BoundedMap } from './bounded-map.js'
export { encodeUvarint, readUvarint } from './varint.js'
export type { Uvarint, VarintBytes } from './varint.js'
