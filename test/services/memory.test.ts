// Linear memory stays bounded over 10,000 calls of the keys and formatter code paths.
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { FIXTURES, load } from './helpers.js'

let probe: MarineServiceHandle

beforeAll(async () => {
  probe = await load('memory-probe', path.join(FIXTURES, 'memory-probe'))
})

const pages = () => probe.call('memory_pages', []) as number

function growthOver(calls: number, call: (i: number) => void): number {
  // Warm-up lets the allocator and the incremental GC reach their steady state first.
  for (let i = 0; i < 200; i++) call(i)
  const before = pages()
  for (let i = 0; i < calls; i++) call(i)
  return pages() - before
}

describe('memory', () => {
  it('does not grow over 10,000 data_key calls', () => {
    const growth = growthOver(10_000, (i) => {
      expect(probe.call('data_key', ['1', '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D', String(i)])).toMatch(/^[1-9A-HJ-NP-Za-km-z]{43,44}$/)
    })
    expect(growth).toBeLessThanOrEqual(1)
  })

  it('does not grow over 10,000 format calls', () => {
    const slots = [
      { alias: '', public_key: 'k', version: 'v1', content: '{"name":"Ape {id}","attributes":[{"trait_type":"Eyes","value":"Bored"}]}' },
      { alias: 'lore', public_key: 'k', version: 'v1', content: '{"chapter":1,"text":"' + 'x'.repeat(500) + '"}' },
    ]
    const growth = growthOver(10_000, (i) => {
      const result = probe.call('format', [String(i), slots]) as { ok: boolean }
      expect(result.ok).toBe(true)
    })
    expect(growth).toBeLessThanOrEqual(1)
  })
})
