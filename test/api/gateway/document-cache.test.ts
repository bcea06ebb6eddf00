import { describe, expect, it } from 'vitest'
import { DocumentCache } from '../../../src-main/api/gateway/document-cache.js'
import { parseTokenId } from '../../../src-main/api/gateway/index.js'

describe('gateway document cache', () => {
  it('answers only while the slot heads are the same', () => {
    const cache = new DocumentCache(10)
    cache.set('t1', { heads: 'a,b', etag: '"1"', json: '{"v":1}' })
    expect(cache.get('t1', 'a,b')?.json).toBe('{"v":1}')
    expect(cache.get('t1', 'a,c')).toBeUndefined()
    expect(cache.get('t2', 'a,b')).toBeUndefined()
  })

  it('drops the least recently used entry when full', () => {
    const cache = new DocumentCache(2)
    cache.set('a', { heads: 'x', etag: '"a"', json: 'a' })
    cache.set('b', { heads: 'x', etag: '"b"', json: 'b' })
    cache.get('a', 'x')
    cache.set('c', { heads: 'x', etag: '"c"', json: 'c' })
    expect(cache.size).toBe(2)
    expect(cache.get('b', 'x')).toBeUndefined()
    expect(cache.get('a', 'x')?.json).toBe('a')
    expect(cache.get('c', 'x')?.json).toBe('c')
  })
})

describe('parseTokenId', () => {
  it('reads decimal and ERC-1155 hex ids into canonical decimal, refusing anything else', () => {
    expect(parseTokenId('42')).toBe('42')
    expect(parseTokenId('0')).toBe('0')
    expect(parseTokenId('0'.repeat(62) + '2A')).toBe('42')
    expect(parseTokenId('f'.repeat(64))).toBe(((1n << 256n) - 1n).toString())
    expect(parseTokenId(((1n << 256n) - 1n).toString())).toBe(((1n << 256n) - 1n).toString())
    for (const bad of ['', '-1', '007', '1.5', '1e3', '0x2a', (1n << 256n).toString(), 'g'.repeat(64), '1'.repeat(79)]) expect(parseTokenId(bad)).toBeUndefined()
  })
})
