import { base58btc } from 'multiformats/bases/base58'
import { describe, expect, it } from 'vitest'
import { decodeBase58, encodeBase58 } from '../../../src-main/lineage/signing/index.js'
import { seededRandom, TEST_SEED } from '../../helpers/seeded.js'
import { randomBytes } from '../../services/lib/random.js'

describe('encodeBase58', () => {
  it('writes what multiformats base58btc writes (without its prefix), for every length and leading zeros', () => {
    const random = seededRandom()
    for (let length = 0; length <= 100; length++) {
      for (let round = 0; round < 30; round++) {
        const bytes = randomBytes(random, length)
        // Some leading zero bytes, and some all-zero or small inputs.
        const zeros = round % 5 === 0 ? length : Math.min(length, round % 4)
        bytes.fill(0, 0, zeros)
        if (round === 1 && length > 0) bytes.fill(0xff)
        const text = encodeBase58(bytes)
        expect(text, `${length} bytes ${Buffer.from(bytes).toString('hex')} (seed ${TEST_SEED})`).toBe(base58btc.baseEncode(bytes))
        expect(decodeBase58(text)).toEqual(bytes)
      }
    }
  })
})
