// The formatter called straight through WebAssembly against the same module through marine-js.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatterFromService, formatterFromWasm } from '../../src-main/marine/index.js'
import type { FormatterSlot, MetadataFormatter } from '../../src-main/marine/index.js'
import { loadMarineService } from '../../services/toolchain/index.js'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { builtService } from '../helpers/services.js'
import { TEST_SEED } from '../helpers/seeded.js'

const json = fc.jsonValue({ maxDepth: 3 }).map(v => JSON.stringify(v))
const object = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }).map(v => JSON.stringify(v))
const text = fc.oneof(fc.constantFrom('', '_hidden', 'traits', '{id}'), fc.string({ maxLength: 8, unit: 'grapheme' }))
const slot = fc.record({ alias: text, public_key: fc.constantFrom('', 'pkA', 'pkB'), version: fc.constantFrom('', 'v1', 'v2'), content: fc.oneof(object, json, fc.constantFrom('{"name":"#{id}","image":"ipfs://x/{id}.png"}', 'not json', '')) })
const tokenId = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }).map(String), fc.constantFrom('', 'x', '-1', '01', String(2n ** 256n)))

describe('formatterFromWasm', () => {
  let service: MarineServiceHandle
  let marine: MetadataFormatter
  let direct: MetadataFormatter
  beforeAll(async () => {
    service = await loadMarineService(builtService('formatter'), 'formatter')
    marine = formatterFromService(service)
    direct = formatterFromWasm(builtService('formatter'))
  })
  afterAll(() => { service.terminate() })

  it(`gives marine-js's bytes and refusals for random tokens and slots (seed ${TEST_SEED})`, () => {
    let formatted = 0
    fc.assert(fc.property(tokenId, fc.array(slot, { maxLength: 5 }), (id, slots: FormatterSlot[]) => {
      const expected = marine.format(id, slots)
      expect(direct.format(id, slots)).toEqual(expected)
      if (expected.ok) formatted++
    }), { seed: TEST_SEED, numRuns: 600 })
    // Both outcomes were compared, not only refusals.
    expect(formatted).toBeGreaterThan(100)
  })

  it('keeps answering the same after thousands of calls: each call frees what it lent', () => {
    const slots = [{ alias: '', public_key: 'pk', version: 'v1', content: JSON.stringify({ name: 'Doodle #{id}', attributes: [{ trait_type: 'face', value: 'sad' }], description: 'x'.repeat(2000) }) }]
    const first = direct.format('7', slots)
    for (let i = 0; i < 5000; i++) direct.format(String(i), slots)
    expect(direct.format('7', slots)).toEqual(first)
    expect(first).toEqual(marine.format('7', slots))
  })

  it('refuses a module whose interface it does not lower, by name', () => {
    expect(() => formatterFromWasm(builtService('keys'))).toThrow(expect.objectContaining({ name: 'FormatterInterfaceError', message: expect.stringContaining('format(token_id: string, slots: []Slot') }))
  })
})
