// The keys service against an independent JS computation of the same identifiers.
import { sha256 } from '@noble/hashes/sha2.js'
import { base58btc } from 'multiformats/bases/base58'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { load } from './helpers.js'
import { seededRandom, TEST_SEED } from '../helpers/seeded.js'

let keys: MarineServiceHandle

beforeAll(async () => {
  keys = await load('keys')
})

// ASCII lower-case only, as the protocol defines `lower`.
const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())
// base58btc's multibase prefix "z" is not part of a Lineage key.
const b58 = (bytes: Uint8Array) => base58btc.encode(bytes).slice(1)
const tokenKey = (chain: string, address: string) => b58(sha256(new TextEncoder().encode(lower(chain) + lower(address))))
const dataKey = (chain: string, address: string, id: string) =>
  b58(sha256(new TextEncoder().encode(lower(chain) + lower(address) + lower(id))))

describe('fixed vectors', () => {
  const address = '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D'

  it('derives token_key', () => {
    expect(keys.call('token_key', ['1', address])).toBe(tokenKey('1', address))
    expect(keys.call('token_key', ['1', address])).toBe(keys.call('token_key', ['1', address.toLowerCase()]))
  })

  it('derives data_key', () => {
    expect(keys.call('data_key', ['1', address, '42'])).toBe(dataKey('1', address, '42'))
    expect(keys.call('data_key', { chain_id: 'ETH', token_address: address, token_id: '0' })).toBe(dataKey('eth', address, '0'))
  })

  it('matches values computed with Python hashlib and a big-integer base58', () => {
    expect(keys.call('token_key', ['', ''])).toBe('GKot5hBsd81kMupNCXHaqbhv3huEbxAFMLnpcX2hniwn')
    expect(keys.call('token_key', ['A', 'bC'])).toBe('DYu3G8aGTMBW1WrTw76zxQJQU4DHLw9MLyy7peG4LKkY')
    expect(keys.call('data_key', ['1', address, '42'])).toBe('4VuyqLsVCmbvy9KtpE8kzrq5jydmYzrYLocR8twbEEXG')
  })

  it('lower-cases ASCII only, leaving other letters as they are', () => {
    expect(keys.call('data_key', ['Ä', 'ÉX', 'İ'])).toBe(dataKey('Ä', 'Éx', 'İ'))
  })
})

describe('random inputs', () => {
  const alphabet = 'abcdefABCDEF0123456789xX-_ éÄ日🌍'
  const random = seededRandom()
  const pick = (n: number) => Array.from({ length: n }, () => [...alphabet][Math.floor(random() * [...alphabet].length)]).join('')

  it(`agrees with the JS computation on 1,000 random inputs (seed ${TEST_SEED})`, () => {
    for (let i = 0; i < 1000; i++) {
      const chain = pick(Math.floor(random() * 6))
      const address = pick(Math.floor(random() * 50))
      const id = pick(Math.floor(random() * 30))
      expect(keys.call('token_key', [chain, address])).toBe(tokenKey(chain, address))
      expect(keys.call('data_key', [chain, address, id])).toBe(dataKey(chain, address, id))
    }
  })
})
