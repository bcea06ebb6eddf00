import { beforeAll, describe, expect, it } from 'vitest'
import { loadHarness, type LibHarness } from './load-harness.js'
import { createRandom, randomInt } from './random.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Reference for sortKeysDeep: keys in JavaScript's default sort order, written in that order. */
function stringifySorted(value: Json): string {
  if (Array.isArray(value)) return '[' + value.map(stringifySorted).join(',') + ']'
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort()
    return '{' + keys.map((key) => JSON.stringify(key) + ':' + stringifySorted(value[key]!)).join(',') + '}'
  }
  return JSON.stringify(value)
}

function randomString(random: () => number, allowLoneSurrogates: boolean): string {
  const pieces = ['"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', 'é', '日', '🦄', '\u2028', '\ufeff', 'a', 'Z', '0', ' ']
  if (allowLoneSurrogates) pieces.push('\ud800', '\udbff', '\udc00', '\udfff')
  let text = ''
  const length = randomInt(random, 12)
  for (let i = 0; i < length; i++) {
    text += random() < 0.7 ? pieces[randomInt(random, pieces.length)] : String.fromCharCode(0x20 + randomInt(random, 0x5f))
  }
  return text
}

function randomNumber(random: () => number): number {
  switch (randomInt(random, 6)) {
    case 0:
      return randomInt(random, 1000) - 500
    case 1:
      return Math.round((random() - 0.5) * 2 ** 53)
    case 2:
      return (random() - 0.5) * 10 ** randomInt(random, 30)
    case 3:
      return random() * 10 ** -randomInt(random, 30)
    case 4:
      return random() * 10 ** (20 + randomInt(random, 280))
    default:
      return random()
  }
}

function randomJson(random: () => number, depth: number): Json {
  const choice = randomInt(random, depth > 5 ? 4 : 6)
  switch (choice) {
    case 0:
      return [null, true, false][randomInt(random, 3)]!
    case 1:
      return randomNumber(random)
    case 2:
    case 3:
      return randomString(random, false)
    case 4:
      return Array.from({ length: randomInt(random, 5) }, () => randomJson(random, depth + 1))
    default: {
      const object: { [key: string]: Json } = {}
      const size = randomInt(random, 6)
      for (let i = 0; i < size; i++) object[randomString(random, false)] = randomJson(random, depth + 1)
      return object
    }
  }
}

/** JSON text with random insignificant whitespace (often none) around every token. */
function stringifyWithWhitespace(value: Json, random: () => number): string {
  const space = (): string => {
    let text = ''
    while (random() < 0.3) text += ' \t\n\r'[randomInt(random, 4)]
    return text
  }
  if (Array.isArray(value)) {
    return space() + '[' + space() + value.map((item) => stringifyWithWhitespace(item, random)).join(',') + space() + ']' + space()
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => space() + JSON.stringify(key) + space() + ':' + stringifyWithWhitespace(item, random),
    )
    return space() + '{' + space() + entries.join(',') + space() + '}' + space()
  }
  return space() + JSON.stringify(value) + space()
}

describe('services/lib stringifyJson and sortKeysDeep', () => {
  let harness: LibHarness
  beforeAll(async () => {
    ;({ harness } = await loadHarness())
  })

  it.each([
    '',
    'plain',
    '"',
    '\\',
    '/',
    '\b\f\n\r\t',
    '\u0000\u0001\u000b\u000e\u001f',
    '\u007f\u0080\u00a0',
    'é日本🦄',
    '\u2028\u2029',
    '\ud800',
    '\udfff',
    'a\udc00\ud800b',
    '\ud83e\udd84\ud83e',
  ])('quotes %j exactly as JSON.stringify', (text) => {
    expect(harness.jsonQuote(text)).toBe(JSON.stringify(text))
  })

  it('quotes 1,000 random strings, lone surrogates included, exactly as JSON.stringify (seed 10)', () => {
    const random = createRandom(10)
    for (let i = 0; i < 1000; i++) {
      const text = randomString(random, true)
      expect(harness.jsonQuote(text), `case ${i}`).toBe(JSON.stringify(text))
    }
  })

  it('round-trips 600 random documents with random whitespace like JSON.parse + JSON.stringify (seed 11)', () => {
    const random = createRandom(11)
    for (let i = 0; i < 600; i++) {
      const text = stringifyWithWhitespace(randomJson(random, 0), random)
      const expected = JSON.stringify(JSON.parse(text))
      expect(harness.jsonRoundTrip(text), `case ${i}: ${text}`).toBe(expected)
      expect(harness.jsonLastError()).toBe('')
    }
  })

  it('sorts the keys of 600 random documents like the JavaScript reference (seed 12)', () => {
    const random = createRandom(12)
    for (let i = 0; i < 600; i++) {
      const value = randomJson(random, 0)
      const text = JSON.stringify(value)
      expect(harness.jsonSortKeys(text), `case ${i}: ${text}`).toBe(stringifySorted(JSON.parse(text) as Json))
    }
  })

  it('sorts nested keys by UTF-16 code unit, not by code point or locale', () => {
    const text = '{"b":1,"a":{"z":[{"d":1,"c":2}],"y":null},"B":2,"\uffff":3,"🦄":4,"é":5,"aa":6,"":7,"10":8,"9":9}'
    const sorted = harness.jsonSortKeys(text)
    expect(sorted).toBe(stringifySorted(JSON.parse(text) as Json))
    expect(sorted).toBe('{"":7,"10":8,"9":9,"B":2,"a":{"y":null,"z":[{"c":2,"d":1}]},"aa":6,"b":1,"é":5,"🦄":4,"\uffff":3}')
  })

  it('returns a sorted copy that does not share values with the original', () => {
    const text = '{"b":[1,"s",true,{"y":1,"x":2}],"a":false}'
    expect(harness.jsonSortKeysThenMutateOriginal(text)).toBe('{"a":false,"b":[1,"s",true,{"x":2,"y":1}]}')
  })

  it('keeps object keys in document order, even keys that JavaScript would reorder', () => {
    // JSON.stringify(JSON.parse(x)) moves integer-like keys first; the document's order is kept here.
    expect(harness.jsonRoundTrip('{"b":1,"2":2,"a":3,"1":4}')).toBe('{"b":1,"2":2,"a":3,"1":4}')
    expect(JSON.stringify(JSON.parse('{"b":1,"2":2,"a":3,"1":4}'))).toBe('{"1":4,"2":2,"b":1,"a":3}')
  })

  it('edits objects in place: replace keeps position, delete closes the gap, set appends', () => {
    expect(harness.jsonObjectEditScript().split('|')).toEqual([
      '{"b":true,"c":null,"a":-5}',
      '3',
      'true',
      'false',
      'true',
      'true',
      'false',
      'true',
      'b,c,a',
      '[{},[],false]',
    ])
  })
})
