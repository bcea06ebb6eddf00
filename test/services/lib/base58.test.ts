import { beforeAll, describe, expect, it } from 'vitest'
import { base58btc } from 'multiformats/bases/base58'
import { loadHarness, type LibHarness } from './load-harness.js'
import { createRandom, randomBytes, randomInt } from './random.js'

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'))

describe('services/lib base58', () => {
  let harness: LibHarness
  beforeAll(async () => {
    ;({ harness } = await loadHarness())
  })

  it.each([
    ['', ''],
    ['00', '1'],
    ['000000', '111'],
    ['0000287fb4cd', '11233QC4'],
    ['61', '2g'],
    ['626262', 'a3gV'],
    ['ff', '5Q'],
    ['ffffffff', '7YXq9G'],
    [Buffer.from('Hello World!').toString('hex'), '2NEpo7TZRRrLZSi2U'],
    ['00010966776006953d5567439e5e39f86a0d273beed61967f6', '16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM'],
  ])('encodes %s as %s, like multiformats, and decodes it back', (inputHex, expected) => {
    const input = hex(inputHex)
    expect(harness.base58Encode(input)).toBe(expected)
    expect(base58btc.baseEncode(input)).toBe(expected)
    expect(harness.base58Decode(expected)).toEqual(input)
  })

  it('matches multiformats on 1,000 random inputs, many with leading zeros (seed 4)', () => {
    const random = createRandom(4)
    for (let i = 0; i < 1000; i++) {
      const input = randomBytes(random, randomInt(random, 80))
      const zeros = randomInt(random, 4)
      input.fill(0, 0, Math.min(zeros, input.length))
      const encoded = harness.base58Encode(input)
      expect(encoded, `case ${i}`).toBe(base58btc.baseEncode(input))
      expect(harness.base58Decode(encoded), `case ${i}`).toEqual(input)
      expect(harness.base58Decode(encoded), `case ${i}`).toEqual(base58btc.baseDecode(encoded))
    }
  })

  it('decodes random alphabet strings like multiformats (seed 5)', () => {
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
    const random = createRandom(5)
    for (let i = 0; i < 300; i++) {
      let text = ''
      const length = randomInt(random, 60)
      for (let j = 0; j < length; j++) text += alphabet[randomInt(random, alphabet.length)]
      expect(harness.base58Decode(text), text).toEqual(base58btc.baseDecode(text))
    }
  })

  it.each(['0', 'O', 'I', 'l', '+', '/', ' ', '1 1', '2g\n', 'é', '\u0000', '2g-'])(
    'returns null for a string containing %j, which multiformats rejects too',
    (text) => {
      expect(harness.base58Decode(text)).toBeNull()
      expect(() => base58btc.baseDecode(text)).toThrow()
    },
  )

  // multiformats 14 does not reject code units above 0xff: it returns an empty array for them.
  it.each(['🦄', '2gĀ', '日本'])('returns null for a string containing %j', (text) => {
    expect(harness.base58Decode(text)).toBeNull()
  })
})
