import { isUtf8 } from 'node:buffer'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_SHOWN_NAME_CHARS, shownText } from '../../../src-main/lineage/import/index.js'
import { decodeKeepingBytes, escapedByte, KeepingBytesDecoder } from '../../../src-main/lineage/import/utf8.js'

const RAW_UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u

/** Strings rich in what must be escaped: controls, bidi and zero-width characters, separators, lone surrogates. */
const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\x00', '\x1b', '\n', '\r', '\x7f', '\x9b', '\u202e', '\u200b', '\u2028', '\ufeff', '\ud800', '\udcff', '\u{e0001}', '\\', '…'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 400,
})

/** The bytes a decoded string stands for: surrogate escapes back to their byte, the rest as UTF-8. */
function bytesOf (text: string): Buffer {
  const parts: Buffer[] = []
  for (const char of text) {
    const byte = escapedByte(char.charCodeAt(0))
    parts.push(byte !== undefined && char.length === 1 ? Buffer.from([byte]) : Buffer.from(char))
  }
  return Buffer.concat(parts)
}

describe('shownText: source text made safe to show', () => {
  it('escapes controls, bidi overrides, zero-width characters and bytes that are not UTF-8', () => {
    expect(shownText('7\x1b[31m.json')).toBe('7\\x1b[31m.json')
    expect(shownText('a\nb\r\x00')).toBe('a\\x0ab\\x0d\\x00')
    expect(shownText('evil\u202Egnp.json')).toBe('evil\\u202egnp.json')
    expect(shownText('zero\u200bwidth\u2028')).toBe('zero\\u200bwidth\\u2028')
    expect(shownText('tag\u{e0041}')).toBe('tag\\u{e0041}')
    expect(shownText('\x9b')).toBe('\\x9b')
    expect(shownText(Buffer.from([0x31, 0xff, 0xc3, 0xa9, 0xe2, 0x82]))).toBe('1\\xffé\\xe2\\x82')
    expect(shownText('\ud800x')).toBe('\\ud800x')
    expect(shownText('Café 😀 ok')).toBe('Café 😀 ok')
  })

  it('bounds the length, cutting between characters and never inside an escape', () => {
    expect(shownText('a'.repeat(MAX_SHOWN_NAME_CHARS))).toBe('a'.repeat(MAX_SHOWN_NAME_CHARS))
    expect(shownText('a'.repeat(300))).toBe(`${'a'.repeat(MAX_SHOWN_NAME_CHARS - 1)}…`)
    expect(shownText('ab\x1bcd', 6)).toBe('ab…')
    expect(shownText('😀😀😀', 4)).toBe('😀…')
  })

  it('never leaves anything unshowable, stays within its bound, and changes nothing the second time (seeded property)', () => {
    fc.assert(fc.property(fc.oneof(hostileText, fc.uint8Array({ maxLength: 300 })), fc.integer({ min: 2, max: 300 }), (value, max) => {
      const shown = shownText(value, max)
      expect(shown).not.toMatch(RAW_UNSHOWABLE)
      expect(shown.length).toBeLessThanOrEqual(max)
      expect(shownText(shown, max)).toBe(shown)
      if (typeof value === 'string' && value.length <= max && !RAW_UNSHOWABLE.test(value)) expect(shown).toBe(value)
    }), { seed: 0x5a4e, numRuns: 2000 })
  })
})

describe('UTF-8 decoding that keeps every byte', () => {
  it('decodes valid UTF-8 as Node does, and keeps every other byte recoverable (seeded property)', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 60 }).map(s => new Uint8Array(Buffer.from(s)))), bytes => {
      const text = decodeKeepingBytes(bytes)
      if (isUtf8(bytes)) expect(text).toBe(Buffer.from(bytes).toString('utf8'))
      expect(bytesOf(text)).toEqual(Buffer.from(bytes))
    }), { seed: 0x0ff8, numRuns: 2000 })
  })

  it('gives the same text whatever the chunk boundaries (seeded property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), fc.array(fc.nat({ max: 120 }), { maxLength: 6 }), (bytes, cuts) => {
      const points = [...new Set(cuts.map(c => Math.min(c, bytes.length)))].sort((a, b) => a - b)
      const decoder = new KeepingBytesDecoder()
      let text = ''
      let from = 0
      for (const p of [...points, bytes.length]) {
        text += decoder.decode(bytes.subarray(from, p))
        from = p
      }
      text += decoder.end()
      expect(text).toBe(decodeKeepingBytes(bytes))
    }), { seed: 0xc5c5, numRuns: 2000 })
  })

  it('refuses overlong forms, surrogates and code points past U+10FFFF as RFC 3629 does', () => {
    for (const bad of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const text = decodeKeepingBytes(new Uint8Array(bad))
      expect([...text].map(c => escapedByte(c.charCodeAt(0)))).toEqual(bad)
    }
    expect(decodeKeepingBytes(new Uint8Array([0xf0, 0x9f, 0x98, 0x80, 0xff]))).toBe('😀\udcff')
  })
})
