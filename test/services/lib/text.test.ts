import { beforeAll, describe, expect, it } from 'vitest'
import { loadHarness, type LibHarness } from './load-harness.js'
import { createRandom, randomBytes, randomInt } from './random.js'

describe('services/lib utf8, hex and toLowerAscii', () => {
  let harness: LibHarness
  beforeAll(async () => {
    ;({ harness } = await loadHarness())
  })

  it.each(['', 'plain ascii', 'café', 'é', '日本語のテキスト', 'unicorn 🦄 and 🇫🇷', '\u0000\u007f\u0080\u07ff\u0800\uffff', '\u{10ffff}'])(
    'encodes %j like TextEncoder and decodes it back',
    (text) => {
      const encoded = harness.utf8Encode(text)
      expect(encoded).toEqual(new TextEncoder().encode(text))
      expect(harness.utf8Decode(encoded)).toBe(text)
    },
  )

  it('writes U+FFFD for lone surrogates, as TextEncoder does', () => {
    for (const text of ['\ud800', 'a\udc00b', '\ud83e', '\udd84\ud83e', '🦄\ud800']) {
      expect(harness.utf8Encode(text), JSON.stringify(text)).toEqual(new TextEncoder().encode(text))
    }
  })

  it.each([
    ['ff', 'lone invalid byte'],
    ['c0af', 'overlong slash'],
    ['e08080', 'overlong NUL in three bytes'],
    ['eda080', 'encoded surrogate'],
    ['f4908080', 'above U+10FFFF'],
    ['e282', 'truncated at the end'],
    ['e28241', 'truncated before ASCII'],
    ['f09fa6', 'truncated four-byte sequence'],
    ['80bf', 'lone continuation bytes'],
    ['efbbbf41', 'byte order mark'],
  ])('decodes %s (%s) like TextDecoder', (bytesHex) => {
    const bytes = Uint8Array.from(Buffer.from(bytesHex, 'hex'))
    expect(harness.utf8Decode(bytes)).toBe(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes))
  })

  it('decodes 1,000 random byte strings like TextDecoder (seed 6)', () => {
    const random = createRandom(6)
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    const interesting = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x90, 0x8f]
    for (let i = 0; i < 1000; i++) {
      const bytes = randomBytes(random, randomInt(random, 40))
      // Bias towards bytes at UTF-8's range boundaries, where decoders disagree if they are wrong.
      for (let j = 0; j < bytes.length; j++) {
        if (random() < 0.5) bytes[j] = interesting[randomInt(random, interesting.length)]!
      }
      expect(harness.utf8Decode(bytes), Buffer.from(bytes).toString('hex')).toBe(decoder.decode(bytes))
    }
  })

  it('round-trips random well-formed text (seed 7)', () => {
    const random = createRandom(7)
    for (let i = 0; i < 500; i++) {
      let text = ''
      const length = randomInt(random, 30)
      for (let j = 0; j < length; j++) {
        const codePoint = randomInt(random, 0x110000)
        text += codePoint >= 0xd800 && codePoint <= 0xdfff ? 'x' : String.fromCodePoint(codePoint)
      }
      const encoded = harness.utf8Encode(text)
      expect(encoded).toEqual(new TextEncoder().encode(text))
      expect(harness.utf8Decode(encoded)).toBe(text)
    }
  })

  it('hex-encodes bytes in lowercase', () => {
    expect(harness.hexEncode(new Uint8Array())).toBe('')
    expect(harness.hexEncode(Uint8Array.from([0, 1, 0x0f, 0x10, 0xab, 0xff]))).toBe('00010f10abff')
    const bytes = randomBytes(createRandom(8), 256)
    expect(harness.hexEncode(bytes)).toBe(Buffer.from(bytes).toString('hex'))
  })

  it('lowers only A–Z', () => {
    expect(harness.toLowerAscii('')).toBe('')
    expect(harness.toLowerAscii('eip155:1/ERC721:0xABCdef')).toBe('eip155:1/erc721:0xabcdef')
    expect(harness.toLowerAscii('already lower 123')).toBe('already lower 123')
    expect(harness.toLowerAscii('@[`{AZaz')).toBe('@[`{azaz')
    expect(harness.toLowerAscii('ÉÀÖ ΣΑ İ Ǆ')).toBe('ÉÀÖ ΣΑ İ Ǆ')
    expect(harness.toLowerAscii('X🦄Y')).toBe('x🦄y')
  })
})
