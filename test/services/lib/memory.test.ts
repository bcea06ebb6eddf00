import { beforeAll, describe, expect, it } from 'vitest'
import { loadHarness, type LibHarness } from './load-harness.js'

const WASM_PAGE_BYTES = 64 * 1024

/** About 1 KB of metadata-like JSON with nesting, escapes and non-ASCII text. */
function oneKilobyteDocument(): string {
  const attributes = Array.from({ length: 14 }, (_, i) => ({ trait_type: `Trait ${i}`, value: `Value é 🦄 ${i}`, rank: i * 3 }))
  const document = {
    name: 'Lineage #1',
    description: 'A "quoted" description\nwith a second line and unicode: 日本',
    image: 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
    attributes,
    properties: { nested: { deeper: [1, 2.5, -3e-7, true, false, null] } },
  }
  const text = JSON.stringify(document)
  expect(text.length).toBeGreaterThan(900)
  expect(text.length).toBeLessThan(1200)
  return text
}

describe('services/lib memory use', () => {
  let harness: LibHarness
  beforeAll(async () => {
    ;({ harness } = await loadHarness())
  })

  it('does not grow over 10,000 parse + stringify calls on a 1 KB document', () => {
    const text = oneKilobyteDocument()
    const expected = JSON.stringify(JSON.parse(text))
    for (let i = 0; i < 100; i++) harness.jsonRoundTrip(text)
    const warmedUpBytes = harness.memory.buffer.byteLength

    for (let i = 0; i < 10_000; i++) {
      const written = harness.jsonRoundTrip(text)
      if (written !== expected) expect.fail(`call ${i} wrote ${written}`)
    }
    // Without collection 10,000 calls would allocate tens of megabytes; the incremental GC
    // runs during allocation, so memory must stay within a few pages of the warmed-up size.
    expect(harness.memory.buffer.byteLength).toBeLessThanOrEqual(warmedUpBytes + 4 * WASM_PAGE_BYTES)
  })

  it('frees everything on an explicit __collect', () => {
    const text = oneKilobyteDocument()
    harness.__collect()
    const before = harness.memory.buffer.byteLength
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 2_000; i++) harness.jsonSortKeys(text)
      harness.__collect()
    }
    expect(harness.memory.buffer.byteLength).toBeLessThanOrEqual(before + 4 * WASM_PAGE_BYTES)
  })
})
