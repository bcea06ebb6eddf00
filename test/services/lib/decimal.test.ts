import { beforeAll, describe, expect, it } from 'vitest'
import { loadHarness, type LibHarness } from './load-harness.js'
import { createRandom, randomInt } from './random.js'

const MAX_U256 = (1n << 256n) - 1n
const hex64 = (value: bigint): string => value.toString(16).padStart(64, '0')

describe('services/lib decimalToHex64', () => {
  let harness: LibHarness
  beforeAll(async () => {
    ;({ harness } = await loadHarness())
  })

  it.each([
    ['0', 0n],
    ['1', 1n],
    ['255', 255n],
    ['007', 7n],
    ['0000000000000000000000000000000000000000000000000000000000000000000000000000000000000001', 1n],
    [(1n << 64n).toString(), 1n << 64n],
    [(1n << 128n).toString(), 1n << 128n],
    [MAX_U256.toString(), MAX_U256],
    ['000' + MAX_U256.toString(), MAX_U256],
  ])('converts %s', (decimal, expected) => {
    expect(harness.decimalToHex64(decimal)).toBe(hex64(expected))
  })

  it('gives ERC-1155 {id} form for 2^256 − 1', () => {
    expect(harness.decimalToHex64(MAX_U256.toString())).toBe('f'.repeat(64))
  })

  it.each([
    ['', 'empty'],
    ['-1', 'negative'],
    ['+1', 'leading plus'],
    ['1a', 'hex digit'],
    ['0x10', 'hex prefix'],
    [' 1', 'leading space'],
    ['1 ', 'trailing space'],
    ['1.0', 'fraction'],
    ['1e3', 'exponent'],
    ['١', 'Arabic-Indic digit'],
    [(1n << 256n).toString(), '2^256'],
    [(MAX_U256 * 10n).toString(), 'ten times the maximum'],
  ])('returns null for %j (%s)', (decimal) => {
    expect(harness.decimalToHex64(decimal)).toBeNull()
  })

  it('matches BigInt on 1,000 random values of every size (seed 9)', () => {
    const random = createRandom(9)
    for (let i = 0; i < 1000; i++) {
      let value = 0n
      const bits = randomInt(random, 257)
      for (let bit = 0; bit < bits; bit++) value = (value << 1n) | (random() < 0.5 ? 1n : 0n)
      expect(harness.decimalToHex64(value.toString()), value.toString()).toBe(hex64(value))
    }
  })
})
