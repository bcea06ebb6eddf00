import { getAddress } from 'ethers'
import { describe, expect, it } from 'vitest'
import { displayAddress } from '../../src-renderer/src/lib/rules/address.js'
import { seededRandom, TEST_SEED } from '../helpers/seeded.js'
import { randomBytes } from '../services/lib/random.js'

describe('addresses as people read them', () => {
  it('shows any spelling of an address in its EIP-55 form, as ethers writes it', () => {
    const random = seededRandom()
    for (let i = 0; i < 200; i++) {
      const lower = `0x${Buffer.from(randomBytes(random, 20)).toString('hex')}`
      expect(displayAddress(lower), `seed ${TEST_SEED}`).toBe(getAddress(lower))
      expect(displayAddress(`0x${lower.slice(2).toUpperCase()}`), `seed ${TEST_SEED}`).toBe(getAddress(lower))
    }
    expect(displayAddress('0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d')).toBe('0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D')
  })

  it('leaves what is not an address as it is', () => {
    for (const text of ['', '0x', '0x123', 'not an address', '8VUi3VArtMcEVVzvBge8JvUf2LK3LGkAb5YipErwr6BV']) expect(displayAddress(text)).toBe(text)
  })
})
