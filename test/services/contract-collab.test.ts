// The `collab` meta contract in real marine-js: the binder manages the list, collaborators write
// in their own alias, everyone else is rejected.
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_WRITE_VERSION_BYTES } from '../../src-main/lineage/engine/constants.js'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { accepted, ALICE, ALICE_SPELLINGS, BINDER, BOB, contract, rejected, row, transaction, write } from './contract-fixtures.js'
import { load } from './helpers.js'

let collab: MarineServiceHandle

beforeAll(async () => {
  collab = await load('collab')
})

const execute = (metadatas: unknown[], tx: Record<string, unknown>) => collab.call('on_execute', [contract(), metadatas, transaction(tx)])
const manage = (metadatas: unknown[], data: unknown) => execute(metadatas, { alias: '_collab', data: JSON.stringify(data) })
/** The binder's state row as the validator would list it after the contract wrote it. */
const stateRow = (version: string, overrides: Record<string, unknown> = {}) => row({ alias: '_collab', version, ...overrides })

describe('the binder manages collaborators', () => {
  it('adds collaborators, writing the list as a state row', () => {
    expect(manage([], { add: { [BOB]: 'lore', [ALICE]: 'art' } })).toEqual(accepted(write(
      BINDER, '_collab', `{"collaborators":{"${ALICE}":"art","${BOB}":"lore"}}`, 0, `1|${ALICE}=art;${BOB}=lore`,
    )))
  })

  it('removes and renames from the newest state row', () => {
    const rows = [stateRow(`1|${ALICE}=art`), stateRow(`2|${ALICE}=art;${BOB}=lore`), row({ alias: 'lore', public_key: BOB })]
    expect(manage(rows, { remove: [ALICE], add: { [BOB]: 'story' } })).toEqual(accepted(write(
      BINDER, '_collab', `{"collaborators":{"${BOB}":"story"}}`, 0, `3|${BOB}=story`,
    )))
    expect(manage(rows, { remove: [ALICE, BOB] })).toEqual(accepted(write(BINDER, '_collab', '{"collaborators":{}}', 0, '3|')))
  })

  it('ignores state rows written by another key or under another contract', () => {
    const forged = [stateRow(`9|${ALICE}=art`, { public_key: ALICE }), stateRow(`8|${ALICE}=art`, { meta_contract_id: 'open' })]
    expect(execute(forged, { public_key: ALICE, alias: 'art', data: '{}' })).toEqual(rejected(`${ALICE} is not a collaborator of this token`))
  })

  it.each([
    [{}, 'data must hold "add", "remove" or both'],
    [{ add: { [BOB]: 'lore' }, extra: 1 }, 'extra: unknown field (allowed: add, remove)'],
    [{ remove: [ALICE] }, `remove[0]: "${ALICE}" is not a collaborator`],
    [{ remove: 'x' }, 'remove: must be an array of public keys'],
    [{ add: [BOB] }, 'add: must be an object of public key → alias'],
    [{ add: { 'bad key': 'lore' } }, 'add: public key "bad key" must be base58 or 0x-hex (letters and digits only)'],
    [{ add: { [BOB]: 3 } }, `add.${BOB}: the alias must be a string`],
    [{ add: { [BOB]: '_hidden' } }, `add.${BOB}: alias "_hidden" must not start with "_" (reserved for the contract)`],
    [{ add: { [BOB]: 'a b' } }, `add.${BOB}: alias "a b" may hold only letters, digits, "_", "-" and "."`],
    [{ add: { [BOB]: '' } }, `add.${BOB}: alias "" must be 1 to 64 characters`],
    [{ add: { [BOB]: 'art', [ALICE]: 'art' } }, `add.${ALICE}: alias "art" already belongs to ${BOB}`],
  ])('rejects the request %j', (data, error) => {
    expect(manage([], data)).toEqual(rejected(error))
  })

  it('rejects a request that is not JSON', () => {
    expect(execute([], { alias: '_collab', data: '{' })).toEqual(rejected('data is not valid JSON: unexpected end of input at offset 1'))
  })

  it('keeps the list within the version length the node stores, and says so when it would not be', () => {
    // 44-character keys with 64-character aliases: 110 characters a collaborator in the version.
    const members = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`K${String(i).padStart(43, '0')}`, `a${String(i).padStart(63, '0')}`]))
    const fits = Math.floor((MAX_WRITE_VERSION_BYTES - '1|'.length + 1) / 110)
    const accepted = manage([], { add: members(fits) }) as { result: boolean, metadatas: Array<{ version: string }> }
    expect(accepted.result).toBe(true)
    expect(accepted.metadatas[0]?.version.length).toBeLessThanOrEqual(MAX_WRITE_VERSION_BYTES)
    expect(accepted.metadatas[0]?.version.length).toBeGreaterThan(MAX_WRITE_VERSION_BYTES - 110)
    const length = '1|'.length + (fits + 1) * 110 - 1
    expect(manage([], { add: members(fits + 1) })).toEqual(rejected(
      `too many collaborators for one token: the list would take ${length} characters, and the node keeps at most ${MAX_WRITE_VERSION_BYTES} (about 70 collaborators with long aliases)`,
    ))
  })
})

describe('writes', () => {
  const rows = [stateRow(`1|${ALICE}=art;${BOB}=lore`)]

  it('let a collaborator write JSON in its own alias', () => {
    expect(execute(rows, { public_key: BOB, alias: 'lore', data: '{"chapter":1}', version: 'v7' })).toEqual(
      accepted(write(BOB, 'lore', '{"chapter":1}', 1, 'v7')),
    )
  })

  it('reject a collaborator writing in another alias', () => {
    expect(execute(rows, { public_key: BOB, alias: 'art', data: '{}' })).toEqual(
      rejected(`collaborator ${BOB} writes only under alias "lore", not "art"`),
    )
  })

  it('reject anyone else', () => {
    expect(execute(rows, { public_key: 'stranger', alias: 'lore', data: '{}' })).toEqual(rejected('stranger is not a collaborator of this token'))
  })

  it('reject a non-binder managing the list', () => {
    expect(execute(rows, { public_key: BOB, alias: '_collab', data: '{"remove":[]}' })).toEqual(
      rejected(`only the binder (${BINDER}) manages collaborators`),
    )
  })

  it('let the binder write any alias, but not other reserved ones', () => {
    expect(execute(rows, { alias: '', data: '{"name":"A"}' })).toEqual(accepted(write(BINDER, '', '{"name":"A"}', 1)))
    expect(execute(rows, { alias: '_other', data: '{}' })).toEqual(rejected('alias "_other" is reserved for the contract'))
  })

  it('reject content that is not JSON', () => {
    expect(execute(rows, { public_key: ALICE, alias: 'art', data: 'nope' })).toEqual(
      rejected("data is not valid JSON: unexpected character 'o' at offset 1"),
    )
  })
})

describe('EVM addresses in any case', () => {
  const [CHECKSUMMED, , UPPER] = ALICE_SPELLINGS

  it.each(ALICE_SPELLINGS)('adds and removes a collaborator named in any case (%s), keeping the key in lower case', key => {
    const added = manage([], { add: { [key]: 'art' } })
    expect(added).toEqual(accepted(write(BINDER, '_collab', `{"collaborators":{"${ALICE}":"art"}}`, 0, `1|${ALICE}=art`)))
    // The collaborator, as the node names it (lower case), writes under its alias.
    expect(execute([stateRow(`1|${ALICE}=art`)], { public_key: ALICE, alias: 'art', data: '{}' })).toEqual(accepted(write(ALICE, 'art', '{}', 1)))
    for (const spelling of ALICE_SPELLINGS) {
      expect(manage([stateRow(`1|${ALICE}=art`)], { remove: [spelling] })).toEqual(accepted(write(BINDER, '_collab', '{"collaborators":{}}', 0, '2|')))
    }
  })

  it('lets a collaborator whose alias is its own address write it in any case, stored lower-case', () => {
    expect(manage([], { add: { [CHECKSUMMED]: CHECKSUMMED } })).toEqual(accepted(write(
      BINDER, '_collab', `{"collaborators":{"${ALICE}":"${ALICE}"}}`, 0, `1|${ALICE}=${ALICE}`,
    )))
    for (const alias of ALICE_SPELLINGS) {
      expect(execute([stateRow(`1|${ALICE}=${ALICE}`)], { public_key: ALICE, alias, data: '{}' })).toEqual(accepted(write(ALICE, ALICE, '{}', 1)))
    }
  })

  it('reads a list that kept a key in mixed case as that one key', () => {
    const rows = [stateRow(`1|${CHECKSUMMED}=art`)]
    expect(execute(rows, { public_key: ALICE, alias: 'art', data: '{}' })).toEqual(accepted(write(ALICE, 'art', '{}', 1)))
    expect(manage(rows, { add: { [UPPER]: 'story' } })).toEqual(accepted(write(BINDER, '_collab', `{"collaborators":{"${ALICE}":"story"}}`, 0, `2|${ALICE}=story`)))
  })

  it('knows an EVM binder in any case', () => {
    for (const binder of ALICE_SPELLINGS) {
      const result = collab.call('on_execute', [contract({ public_key: binder }), [], transaction({ public_key: ALICE, alias: '_collab', data: JSON.stringify({ add: { [BOB]: 'lore' } }) })])
      expect(result).toEqual(accepted(write(ALICE, '_collab', `{"collaborators":{"${BOB}":"lore"}}`, 0, `1|${BOB}=lore`)))
    }
  })
})

describe('on_mint and on_clone', () => {
  it('writes nothing on mint and allows clones', () => {
    expect(collab.call('on_mint', [contract(), 'dk', '1', ''])).toEqual(accepted())
    expect(collab.call('on_clone', [])).toBe(true)
  })
})
