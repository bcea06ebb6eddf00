import { describe, expect, it } from 'vitest'
import { KeyMemo } from '../../../src-main/api/gateway/key-memo.js'
import type { KeyDerivation } from '../../../src-main/api/gateway/key-memo.js'

/** A derivation that counts its calls and answers something that names its inputs. */
function countingKeys (): KeyDerivation & { calls: number } {
  const keys = {
    calls: 0,
    tokenKey: (chainId: string, address: string) => { keys.calls++; return `t:${chainId}/${address}` },
    dataKey: (chainId: string, address: string, tokenId: string) => { keys.calls++; return `d:${chainId}/${address}/${tokenId}` },
  }
  return keys
}

describe('gateway key memo', () => {
  it('derives each key once and answers exactly what the derivation answered', () => {
    const keys = countingKeys()
    const memo = new KeyMemo(keys, 10)
    expect(memo.tokenKey('1', '0xab')).toBe('t:1/0xab')
    expect(memo.tokenKey('1', '0xab')).toBe('t:1/0xab')
    expect(memo.dataKey('1', '0xab', '7')).toBe('d:1/0xab/7')
    expect(memo.dataKey('1', '0xab', '7')).toBe('d:1/0xab/7')
    expect(keys.calls).toBe(2)
    // Inputs that differ in any part are different entries, token keys and data keys apart.
    expect(memo.tokenKey('10', '0xab')).toBe('t:10/0xab')
    expect(memo.dataKey('1', '0xab', '70')).toBe('d:1/0xab/70')
    expect(memo.dataKey('1', '0xAB', '7')).toBe('d:1/0xAB/7')
    expect(keys.calls).toBe(5)
    // Inputs are kept apart, not just joined.
    expect(memo.tokenKey('1/0xab', 'x')).toBe('t:1/0xab/x')
    expect(memo.tokenKey('1', '0xab/x')).toBe('t:1/0xab/x')
    expect(keys.calls).toBe(7)
  })

  it('holds at most its limit of each kind, dropping the least recently used', () => {
    const keys = countingKeys()
    const memo = new KeyMemo(keys, 2)
    memo.dataKey('1', '0xab', '1')
    memo.dataKey('1', '0xab', '2')
    memo.dataKey('1', '0xab', '1')
    memo.dataKey('1', '0xab', '3')
    memo.tokenKey('1', '0xab')
    expect(memo.size).toBe(3)
    expect(keys.calls).toBe(4)
    // 1 was used after 2, so 2 went out.
    memo.dataKey('1', '0xab', '1')
    memo.dataKey('1', '0xab', '3')
    expect(keys.calls).toBe(4)
    memo.dataKey('1', '0xab', '2')
    expect(keys.calls).toBe(5)
    expect(memo.size).toBe(3)
  })

  it('remembers nothing when the derivation throws', () => {
    const memo = new KeyMemo({ tokenKey: () => { throw new Error('no service') }, dataKey: () => 'd' }, 2)
    expect(() => memo.tokenKey('1', '0xab')).toThrow('no service')
    expect(memo.size).toBe(0)
  })
})
