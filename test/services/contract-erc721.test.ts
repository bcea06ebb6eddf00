// The `erc721` meta contract in real marine-js: who may write what, and the schema of the main document.
import { beforeAll, describe, expect, it } from 'vitest'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { accepted, ALICE, ALICE_SPELLINGS, BINDER, contract, rejected, transaction, write } from './contract-fixtures.js'
import { load } from './helpers.js'

let erc721: MarineServiceHandle

beforeAll(async () => {
  erc721 = await load('erc721')
})

const execute = (tx: Record<string, unknown>) => erc721.call('on_execute', [contract(), [], transaction(tx)])
const main = (document: unknown) => execute({ data: JSON.stringify(document) })
const invalid = (why: string) => rejected(`invalid ERC-721 metadata: ${why}`)

const FULL = {
  name: 'Ape #1',
  description: 'An ape',
  image: 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/1.png',
  image_data: '<svg/>',
  animation_url: 'https://example.com/1.mp4',
  external_url: 'https://example.com/1',
  youtube_url: 'https://youtube.com/watch?v=1',
  background_color: '00FFaa',
  attributes: [
    { trait_type: 'Eyes', value: 'Bored' },
    { trait_type: 'Level', value: 5, display_type: 'number', max_value: 10 },
    { trait_type: 'Power', value: 12.5, display_type: 'boost_number' },
    { trait_type: 'Stamina', value: 40, display_type: 'boost_percentage' },
    { trait_type: 'Birthday', value: 1546360800, display_type: 'date' },
    { value: 'untyped' },
  ],
  properties: { rarity: { value: 'rare' } },
  localization: { uri: 'ipfs://cid/{locale}.json', default: 'en', locales: ['en', 'fr'] },
}

describe('the binder writes the main document', () => {
  it('accepts full ERC-721 / OpenSea metadata as schema-checked', () => {
    const data = JSON.stringify(FULL)
    expect(execute({ data })).toEqual(accepted(write(BINDER, '', data, 0)))
  })

  it('accepts a document with only a name', () => {
    expect(main({ name: 'x' })).toEqual(accepted(write(BINDER, '', '{"name":"x"}', 0)))
  })

  it.each([
    [{ description: 'no name' }, 'name: is required'],
    [{ name: '' }, 'name: must not be empty'],
    [{ name: 7 }, 'name: must be a string'],
    [{ name: 'x', description: ['a'] }, 'description: must be a string'],
    [{ name: 'x', image: 'not a uri' }, 'image: must be a URI with a scheme (e.g. ipfs://… or https://…)'],
    [{ name: 'x', external_url: 3 }, 'external_url: must be a string'],
    [{ name: 'x', background_color: '#00ffaa' }, 'background_color: must be 6 hexadecimal digits without #'],
    [{ name: 'x', background_color: '00ffag' }, 'background_color: must be 6 hexadecimal digits without #'],
    [{ name: 'x', attributes: {} }, 'attributes: must be an array'],
    [{ name: 'x', attributes: ['Eyes'] }, 'attributes[0]: must be an object'],
    [{ name: 'x', attributes: [{ value: 1 }, { trait_type: 'Eyes' }] }, 'attributes[1].value: is required'],
    [{ name: 'x', attributes: [{ trait_type: 'a', value: true }] }, 'attributes[0].value: must be a string or a number'],
    [{ name: 'x', attributes: [{ trait_type: 1, value: 'a' }] }, 'attributes[0].trait_type: must be a string'],
    [
      { name: 'x', attributes: [{ trait_type: 'a', value: 1, display_type: 'percent' }] },
      'attributes[0].display_type: must be one of number, boost_number, boost_percentage, date',
    ],
    [
      { name: 'x', attributes: [{ trait_type: 'a', value: '5', display_type: 'number' }] },
      'attributes[0].value: must be a number when display_type is "number"',
    ],
    [{ name: 'x', attributes: [{ value: 1, max_value: '9' }] }, 'attributes[0].max_value: must be a number'],
    [{ name: 'x', attributes: [{ value: 1, color: 'red' }] }, 'attributes[0].color: unknown field (allowed: trait_type, value, display_type, max_value)'],
    [{ name: 'x', properties: [] }, 'properties: must be an object'],
    [{ name: 'x', localization: { uri: 'ipfs://x.json', default: 'en', locales: [] } }, 'localization.uri: must contain {locale}'],
    [{ name: 'x', localization: { uri: '{locale}', default: 'en', locales: ['en', 1] } }, 'localization.locales[1]: must be a string'],
    [
      { name: 'x', price: 3 },
      'price: unknown field (ERC-721 metadata allows name, description, image, image_data, animation_url, external_url, youtube_url, background_color, attributes, properties, localization; write other data under an alias)',
    ],
    [[1, 2], 'the main document must be a JSON object'],
  ])('rejects %j: %s', (document, why) => {
    expect(main(document)).toEqual(invalid(why))
  })

  it('rejects data that is not JSON', () => {
    expect(execute({ data: 'name: x' })).toEqual(rejected("data is not valid JSON: unexpected character 'a' at offset 1"))
  })
})

describe('other signers', () => {
  it('may not write the main document', () => {
    expect(execute({ public_key: ALICE, data: '{"name":"fake"}' })).toEqual(
      rejected(`only the collection's binder (${BINDER}) writes the main document (alias "")`),
    )
  })

  it('write any JSON under their own alias, which is their public key', () => {
    expect(execute({ public_key: ALICE, alias: ALICE, data: '{"note":"hi"}' })).toEqual(accepted(write(ALICE, ALICE, '{"note":"hi"}', 1)))
  })

  it('may not write under another alias', () => {
    expect(execute({ public_key: ALICE, alias: 'image', data: '"ipfs://x"' })).toEqual(
      rejected('alias "image" is not yours: signers other than the binder write only under alias = their public key'),
    )
  })

  it.each(ALICE_SPELLINGS)('write under their own address as alias in any case (%s), stored lower-case', alias => {
    // As the node passes the key (lower case), and as another host might (the same spelling as the alias).
    for (const publicKey of [ALICE, alias]) {
      expect(execute({ public_key: publicKey, alias, data: '{"note":"hi"}' })).toEqual(accepted(write(ALICE, ALICE, '{"note":"hi"}', 1)))
    }
  })

  it('may not write under another address, in any case', () => {
    const other = '0x00000000000000000000000000000000000000aa'
    for (const alias of [other, other.toUpperCase().replace('0X', '0x')]) {
      expect(execute({ public_key: ALICE, alias, data: '{}' })).toEqual(
        rejected(`alias "${alias}" is not yours: signers other than the binder write only under alias = their public key`),
      )
    }
  })

  it('know an EVM binder in any case, for the main document too', () => {
    for (const binder of ALICE_SPELLINGS) {
      const result = erc721.call('on_execute', [contract({ public_key: binder }), [], transaction({ public_key: ALICE, data: '{"name":"x"}' })])
      expect(result).toEqual(accepted(write(ALICE, '', '{"name":"x"}', 0)))
    }
  })

  it('leaves the binder free to write other aliases without the schema', () => {
    expect(execute({ alias: 'lore', data: '{"any":"thing"}' })).toEqual(accepted(write(BINDER, 'lore', '{"any":"thing"}', 1)))
  })
})

describe('on_mint and on_clone', () => {
  it('writes nothing on mint and refuses clones', () => {
    expect(erc721.call('on_mint', [contract(), 'dk', '1', ''])).toEqual(accepted())
    expect(erc721.call('on_clone', [])).toBe(false)
  })
})
