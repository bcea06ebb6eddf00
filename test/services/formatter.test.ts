// The formatter service: slots → tokenURI JSON, with exact expected bytes.
import { beforeAll, describe, expect, it } from 'vitest'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { load } from './helpers.js'

let formatter: MarineServiceHandle

beforeAll(async () => {
  formatter = await load('formatter')
})

interface Slot {
  alias: string
  public_key: string
  version: string
  content: string
}

const slot = (alias: string, public_key: string, content: string, version = 'v1'): Slot => ({ alias, public_key, version, content })
const format = (tokenId: string, slots: Slot[]) => formatter.call('format', [tokenId, slots])
const ok = (json: string) => ({ ok: true, json, error: '' })
const failed = (error: string) => ({ ok: false, json: '', error })

const HEX_42 = '000000000000000000000000000000000000000000000000000000000000002a'

describe('accepted', () => {
  it('gives an empty document for no slots', () => {
    expect(format('1', [])).toEqual(ok('{}'))
  })

  it('merges rows without alias at the top level and nests aliased rows, keys sorted at every depth', () => {
    const slots = [
      slot('', 'alice', '{"name":"Ape","image":"ipfs://img","attributes":[{"value":3,"trait_type":"Eyes"}]}'),
      slot('lore', 'bob', '{"chapter":2,"title":"Dawn"}'),
      slot('tags', 'bob', '["a","b"]'),
    ]
    expect(format('1', slots)).toEqual(ok(
      '{"attributes":[{"trait_type":"Eyes","value":3}],"image":"ipfs://img","lore":{"chapter":2,"title":"Dawn"},"name":"Ape","tags":["a","b"]}',
    ))
  })

  it('gives the same bytes whatever order the slots arrive in', () => {
    const slots = [
      slot('', 'alice', '{"name":"A","z":1}'),
      slot('', 'bob', '{"name":"B"}'),
      slot('lore', 'carol', '{"x":1}'),
      slot('lore', 'alice', '{"x":2,"y":3}'),
    ]
    const expected = ok('{"lore":{"x":1,"y":3},"name":"B","z":1}')
    expect(format('7', slots)).toEqual(expected)
    expect(format('7', [...slots].reverse())).toEqual(expected)
    expect(format('7', [slots[2]!, slots[0]!, slots[3]!, slots[1]!])).toEqual(expected)
  })

  it('lets the later slot in (alias, public_key, version) order win a collision', () => {
    // "v2" sorts after "v1": the same key's newer version wins; across keys, the greater key wins.
    expect(format('1', [slot('', 'k', '{"name":"new"}', 'v2'), slot('', 'k', '{"name":"old"}', 'v1')])).toEqual(ok('{"name":"new"}'))
    // An aliased row is applied after every top-level row, so it replaces a top-level key of the same name.
    expect(format('1', [slot('name', 'a', '"from alias"'), slot('', 'z', '{"name":"top"}')])).toEqual(ok('{"name":"from alias"}'))
    // A non-object aliased row replaces the previous value instead of merging.
    expect(format('1', [slot('lore', 'a', '{"x":1}'), slot('lore', 'b', '"text"')])).toEqual(ok('{"lore":"text"}'))
  })

  it('substitutes {id} as 64 lowercase hex digits in every string value, not in keys', () => {
    const slots = [
      slot('', 'k', '{"image":"ipfs://cid/{id}.png","{id}":"key stays","list":["{id}{id}",1,{"deep":"x{id}"}]}'),
      slot('extra', 'k', '"https://example.com/{id}"'),
    ]
    expect(format('42', slots)).toEqual(ok(
      `{"extra":"https://example.com/${HEX_42}","image":"ipfs://cid/${HEX_42}.png","list":["${HEX_42}${HEX_42}",1,{"deep":"x${HEX_42}"}],"{id}":"key stays"}`,
    ))
  })

  it('handles the largest token id and keeps number lexemes and unicode as written', () => {
    const max = '115792089237316195423570985008687907853269984665640564039457584007913129639935'
    expect(format(max, [slot('', 'k', '{"id":"{id}","n":1.50,"big":123456789012345678901234567890,"t":"日本🌍"}')])).toEqual(ok(
      `{"big":123456789012345678901234567890,"id":"${'f'.repeat(64)}","n":1.50,"t":"日本🌍"}`,
    ))
  })

  it('leaves out contract bookkeeping aliases starting with "_"', () => {
    expect(format('1', [slot('_collab', 'k', '{"collaborators":{}}'), slot('', 'k', '{"name":"A"}')])).toEqual(ok('{"name":"A"}'))
  })
})

describe('rejected', () => {
  it('rejects a token id that is not a decimal integer below 2^256', () => {
    expect(format('0x2a', [])).toEqual(failed('token_id "0x2a" is not a decimal integer below 2^256'))
    expect(format('', [])).toEqual(failed('token_id "" is not a decimal integer below 2^256'))
    const tooBig = '115792089237316195423570985008687907853269984665640564039457584007913129639936'
    expect(format(tooBig, [])).toEqual(failed(`token_id "${tooBig}" is not a decimal integer below 2^256`))
  })

  it('names the slot whose content is not JSON', () => {
    const result = format('1', [slot('lore', 'bob', '{"a":', 'v3')]) as { ok: boolean; error: string }
    expect(result.ok).toBe(false)
    expect(result.error).toMatch(/^slot \(alias "lore", public_key "bob", version "v3"\): invalid JSON: .+ at offset 5$/)
  })

  it('rejects a top-level row whose content is not an object', () => {
    expect(format('1', [slot('', 'bob', '[1,2]')])).toEqual(
      failed('slot (alias "", public_key "bob", version "v1"): content without alias must be a JSON object'),
    )
  })
})
