// The `open` meta contract in real marine-js.
import { beforeAll, describe, expect, it } from 'vitest'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { accepted, ALICE, ALICE_SPELLINGS, contract, rejected, transaction, write } from './contract-fixtures.js'
import { load } from './helpers.js'

let open: MarineServiceHandle

beforeAll(async () => {
  open = await load('open')
})

const execute = (tx: Record<string, unknown>) => open.call('on_execute', [contract(), [], transaction(tx)])

describe('on_execute', () => {
  it("writes any signer's JSON under its key, alias and version", () => {
    expect(execute({ public_key: ALICE, alias: 'lore', version: 'draft-2', data: '{"story":"once"}' })).toEqual(
      accepted(write(ALICE, 'lore', '{"story":"once"}', 1, 'draft-2')),
    )
    expect(execute({ public_key: ALICE, alias: '', data: '[1,"two"]' })).toEqual(accepted(write(ALICE, '', '[1,"two"]', 1)))
  })

  it.each(ALICE_SPELLINGS)('writes under the signer\'s own address as alias in lower case, whatever its case (%s)', alias => {
    expect(execute({ public_key: ALICE, alias, data: '{}' })).toEqual(accepted(write(ALICE, ALICE, '{}', 1)))
    // Another address stays the text it is.
    const other = `0x${'AB'.repeat(20)}`
    expect(execute({ public_key: ALICE, alias: other, data: '{}' })).toEqual(accepted(write(ALICE, other, '{}', 1)))
  })

  it('rejects data that is not JSON, saying where', () => {
    expect(execute({ data: '{"a":}' })).toEqual(rejected("data is not valid JSON: unexpected character '}' at offset 5"))
  })

  it('rejects methods other than metadata', () => {
    expect(execute({ method: 'clone' })).toEqual(rejected('on_execute handles method "metadata", not "clone"'))
  })
})

describe('on_mint and on_clone', () => {
  it('writes nothing on mint and allows clones', () => {
    expect(open.call('on_mint', [contract(), 'dk', '1', '{}'])).toEqual(accepted())
    expect(open.call('on_clone', [])).toBe(true)
  })
})
