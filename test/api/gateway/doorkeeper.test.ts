import { describe, expect, it } from 'vitest'
import { Doorkeeper } from '../../../src-main/api/gateway/doorkeeper.js'

const KEY = '5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ'

describe('the doorkeeper that lets a document into the gateway cache', () => {
  it('refuses a key on its first read and lets it in on its second', () => {
    const doorkeeper = new Doorkeeper(1 << 16)
    expect(doorkeeper.admit(KEY, '42')).toBe(false)
    expect(doorkeeper.admit(KEY, '42')).toBe(true)
    expect(doorkeeper.admit(KEY, '42')).toBe(true)
  })

  it('tells collections apart: the same token id under another token key is a first read', () => {
    const doorkeeper = new Doorkeeper(1 << 16)
    expect(doorkeeper.admit(KEY, '7')).toBe(false)
    expect(doorkeeper.admit(KEY.replace('5', '6'), '7')).toBe(false)
  })

  it('lets in few keys read once: a crawl of 2,000 ids admits almost none', () => {
    const doorkeeper = new Doorkeeper(1 << 16)
    let admitted = 0
    for (let id = 1; id <= 2_000; id++) if (doorkeeper.admit(KEY, String(id))) admitted++
    // A 32nd of the bits may be set before a clearing: about 1% of 2,000 on average.
    expect(admitted).toBeLessThan(60)
  })

  it('forgets its marks once a 32nd of its bits were marked, so a second read long after is a first read again', () => {
    const doorkeeper = new Doorkeeper(1 << 16)
    expect(doorkeeper.admit(KEY, 'old')).toBe(false)
    // 2,048 first reads (a 32nd of 65,536 bits) clear it; the collisions among them are not marks.
    let marks = 1
    for (let id = 1; marks < 2_048; id++) if (!doorkeeper.admit(KEY, String(id))) marks++
    expect(doorkeeper.admit(KEY, 'old')).toBe(false)
    expect(doorkeeper.admit(KEY, 'old')).toBe(true)
  })
})
