import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { loadHarness, type LibHarness } from './load-harness.js'
import { createRandom, randomBytes, randomInt } from './random.js'

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('services/lib sha256', () => {
  let harness: LibHarness
  beforeAll(async () => {
    ;({ harness } = await loadHarness())
  })

  it.each([
    ['empty', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'the 56-byte NIST vector',
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('hashes %s', (_name, input, expected) => {
    const digest = harness.sha256(ascii(input))
    expect(bytesToHex(digest)).toBe(expected)
    expect(bytesToHex(nobleSha256(ascii(input)))).toBe(expected)
  })

  it('hashes 1 MB like @noble/hashes', () => {
    const data = randomBytes(createRandom(1), 1024 * 1024)
    expect(bytesToHex(harness.sha256(data))).toBe(bytesToHex(nobleSha256(data)))
  })

  it('hashes one million "a" to the FIPS 180-2 value', () => {
    const data = new Uint8Array(1_000_000).fill(0x61)
    expect(bytesToHex(harness.sha256(data))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    )
  })

  it('matches @noble/hashes at every length around the padding boundaries', () => {
    const random = createRandom(2)
    for (let length = 0; length <= 200; length++) {
      const data = randomBytes(random, length)
      expect(bytesToHex(harness.sha256(data)), `length ${length}`).toBe(bytesToHex(nobleSha256(data)))
    }
  })

  it('matches @noble/hashes on 1,000 random inputs of 0–300 bytes (seed 3)', () => {
    const random = createRandom(3)
    for (let i = 0; i < 1000; i++) {
      const data = randomBytes(random, randomInt(random, 301))
      expect(bytesToHex(harness.sha256(data)), `case ${i}`).toBe(bytesToHex(nobleSha256(data)))
    }
  })

  it('hashes a subarray view by its own bytes only', () => {
    const backing = ascii('xxabcxx')
    expect(bytesToHex(harness.sha256(backing.subarray(2, 5)))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })
})
