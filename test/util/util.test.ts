import { describe, expect, it } from 'vitest'
import { BoundedMap, encodeUvarint, readUvarint } from '../../src-main/util/index.js'

describe('BoundedMap', () => {
  it('drops the oldest entry when a new key comes to a full map, and keeps the rest', () => {
    const map = new BoundedMap<string, number>(3)
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) map.set(key, i)
    expect([...map.entries()]).toEqual([['b', 1], ['c', 2], ['d', 3]])
  })

  it('changing a key it holds evicts nothing', () => {
    const map = new BoundedMap<string, number>(2)
    map.set('a', 1).set('b', 2).set('a', 3)
    expect([...map.entries()]).toEqual([['a', 3], ['b', 2]])
  })

  it('getOrSet makes a missing value once and keeps it', () => {
    const map = new BoundedMap<string, number>(2)
    let made = 0
    expect(map.getOrSet('k', () => ++made)).toBe(1)
    expect(map.getOrSet('k', () => ++made)).toBe(1)
    expect(made).toBe(1)
  })

  it('refuses a capacity under one, saying so', () => {
    expect(() => new BoundedMap(0)).toThrow('a bounded map holds at least one entry, not 0')
  })
})

describe('varint', () => {
  it('reads back what it writes, from a Uint8Array at an offset and from a chunk list', () => {
    for (const n of [0, 1, 127, 128, 300, 16_384, 2 ** 31, 2 ** 53 - 1]) {
      const bytes = encodeUvarint(n)
      expect(readUvarint(Uint8Array.from([9, ...bytes]), 1, 10)).toEqual({ value: n, length: bytes.length })
      // What lpStream hands a length decoder: an indexed list of chunks.
      const list = { byteLength: bytes.length, get: (i: number) => bytes[i] as number }
      expect(readUvarint(list, 0, 10)).toEqual({ value: n, length: bytes.length })
    }
  })

  it('answers undefined when the bytes end inside a varint, null when it is longer than allowed', () => {
    expect(readUvarint(Uint8Array.from([0x80, 0x80]), 0, 3)).toBeUndefined()
    expect(readUvarint(Uint8Array.from([0x80, 0x80, 0x80, 0x01]), 0, 3)).toBeNull()
    expect(readUvarint(Uint8Array.from([0x80, 0x80, 0x01]), 0, 3)).toEqual({ value: 2 ** 14, length: 3 })
  })

  it('refuses to write what is not a whole number below 2^53', () => {
    expect(() => encodeUvarint(-1)).toThrow('not a length: -1')
    expect(() => encodeUvarint(2 ** 53)).toThrow(RangeError)
  })
})
