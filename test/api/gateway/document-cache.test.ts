import { describe, expect, it } from 'vitest'
import { DocumentCache } from '../../../src-main/api/gateway/document-cache.js'
import type { CachedDocument, TokenDocument } from '../../../src-main/api/gateway/document-cache.js'
import { parseTokenId } from '../../../src-main/api/gateway/index.js'

const doc = (tokenKey: string, dataKey: string, json = `{"d":"${dataKey}"}`): TokenDocument => ({ found: true, tokenKey, dataKey, etag: `"${dataKey}"`, json })
const json = (entry: CachedDocument | undefined): string | undefined => entry?.found === true ? entry.json : undefined

describe('gateway document cache', () => {
  it('answers by collection and token id, found and missing alike', () => {
    const cache = new DocumentCache(10)
    cache.set('1', doc('c1', 'd1'))
    cache.set('2', { found: false, tokenKey: 'c1', dataKey: 'd2' })
    expect(json(cache.get('c1', '1'))).toBe('{"d":"d1"}')
    expect(cache.get('c1', '2')?.found).toBe(false)
    expect(cache.get('c2', '1')).toBeUndefined()
    expect(cache.get('c1', '3')).toBeUndefined()
  })

  it('drops one token by its data_key, and a whole collection by its token_key', () => {
    const cache = new DocumentCache(10)
    cache.set('1', doc('c1', 'd1'))
    cache.set('2', doc('c1', 'd2'))
    cache.set('1', doc('c2', 'e1'))
    cache.dropToken('d1')
    cache.dropToken('unknown')
    expect(cache.get('c1', '1')).toBeUndefined()
    expect(json(cache.get('c1', '2'))).toBe('{"d":"d2"}')
    cache.set('1', doc('c1', 'd1', 'new'))
    expect(json(cache.get('c1', '1'))).toBe('new')
    cache.dropCollection('c1')
    expect(cache.get('c1', '1')).toBeUndefined()
    expect(cache.get('c1', '2')).toBeUndefined()
    expect(json(cache.get('c2', '1'))).toBe('{"d":"e1"}')
    expect(cache.size).toBe(1)
  })

  it('drops the least recently used entry when full, and forgets its data_key with it', () => {
    const cache = new DocumentCache(2)
    cache.set('a', doc('c', 'da'))
    cache.set('b', doc('c', 'db'))
    expect(cache.isFull).toBe(true)
    cache.get('c', 'a')
    expect(cache.has('c', 'b')).toBe(true) // has() does not count as a use
    cache.set('x', doc('c', 'dx'))
    expect(cache.size).toBe(2)
    expect(cache.get('c', 'b')).toBeUndefined()
    expect(json(cache.get('c', 'a'))).toBe('{"d":"da"}')
    // The evicted entry's data_key is gone: dropping it touches nothing else.
    cache.dropToken('db')
    expect(cache.size).toBe(2)
    cache.clear()
    expect(cache.size).toBe(0)
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
