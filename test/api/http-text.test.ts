import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_QUOTED_CHARS } from '../../src-main/api/constants.js'
import { contentDisposition, encodePathSegment, printable, quoted } from '../../src-main/api/http-text.js'
import { LEGAL_HEADER_VALUE } from '../helpers/raw-http.js'

const SEED = 0x1e9e
/** Any UTF-16 text, lone surrogates included (what a JS string can hold, not only what UTF-8 can). */
const anyText = fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('\ud800', '\udfff', '\u2028', '\u202e', '\u0085', '\u007f', '"', '%', '\\', '/')), maxLength: 40 })
/** Text UTF-8 can carry: every code point, no lone surrogates. */
const wellFormed = fc.string({ unit: 'binary', maxLength: 40 })
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u

describe('client text bound for headers, messages and logs', () => {
  it('percent-encodes a path segment into header-safe text that decodes back to it', () => {
    fc.assert(fc.property(anyText, text => {
      const encoded = encodePathSegment(text)
      expect(encoded).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=:@%]*$/)
      expect(encoded).toMatch(LEGAL_HEADER_VALUE)
    }), { seed: SEED, numRuns: 500 })
    fc.assert(fc.property(wellFormed, text => {
      expect(decodeURIComponent(encodePathSegment(text))).toBe(text)
    }), { seed: SEED, numRuns: 500 })
    expect(encodePathSegment('a b/"é"\n')).toBe('a%20b%2F%22%C3%A9%22%0A')
    expect(encodePathSegment('content')).toBe('content')
  })

  it('names any file in Content-Disposition with a legal ASCII value, the exact name in filename*', () => {
    fc.assert(fc.property(anyText, name => {
      const value = contentDisposition(name)
      expect(value).toMatch(LEGAL_HEADER_VALUE)
      const plain = /^attachment; filename="([^"]*)"$/.exec(value)
      const extended = /^attachment; filename="[\x20-\x21\x23-\x7e]*"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(value)
      expect(plain !== null || extended !== null, value).toBe(true)
      if (plain !== null) expect(plain[1]).toBe(name)
    }), { seed: SEED, numRuns: 500 })
    fc.assert(fc.property(wellFormed, name => {
      const extended = /filename\*=UTF-8''(.*)$/.exec(contentDisposition(name))
      if (extended !== null) expect(decodeURIComponent(extended[1] ?? '')).toBe(name)
    }), { seed: SEED, numRuns: 500 })
    expect(contentDisposition('bafy.car')).toBe('attachment; filename="bafy.car"')
    expect(contentDisposition('a"€.car')).toBe('attachment; filename="a__.car"; filename*=UTF-8\'\'a%22%E2%82%AC.car')
  })

  it('escapes every control character for a log line and leaves other text alone', () => {
    fc.assert(fc.property(anyText, text => {
      const line = printable(text)
      expect(line).not.toMatch(UNPRINTABLE)
      if (!UNPRINTABLE.test(text)) expect(line).toBe(text)
    }), { seed: SEED, numRuns: 1000 })
    expect(printable('a\r\nb\u0000\u009b\u2028')).toBe('a\\x0d\\x0ab\\x00\\x9b\\u2028')
  })

  it('quotes client text in a message, escaped and cut short with its length', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), text => {
      const q = quoted(text)
      expect(q).not.toMatch(UNPRINTABLE)
      expect(q.startsWith(`"${printable(text.slice(0, MAX_QUOTED_CHARS - 1))}`)).toBe(true)
      if (text.length > MAX_QUOTED_CHARS) expect(q).toMatch(new RegExp(`…" \\(${text.length} characters\\)$`))
      else expect(q).toBe(`"${printable(text)}"`)
      // At most MAX_QUOTED_CHARS characters of the text, each escaped to 6 at most.
      expect(q.length).toBeLessThanOrEqual(MAX_QUOTED_CHARS * 6 + 40)
    }), { seed: SEED, numRuns: 500 })
    expect(quoted('9'.repeat(10_000))).toBe(`"${'9'.repeat(MAX_QUOTED_CHARS)}…" (10000 characters)`)
  })
})
