/**
 * Every invalid-params error the node's schemas can produce, said in a creator's words: the
 * cases are generated from the real RPC methods' parameter schemas (ajv through compileMethod, as
 * the node checks them), passed through the node's own error mapping (toRpcError) and the
 * renderer's (describeProblem), and no developer text survives: no JSON pointer, pattern, ajv
 * phrase ("must NOT have fewer than 1 characters"), "uint256" or wire name (token_address).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toRpcError } from '../../src-main/api/errors.js'
import { createRpcMethods } from '../../src-main/api/rpc/index.js'
import { compileMethod } from '../../src-main/api/rpc/method.js'
import type { RpcMethod } from '../../src-main/api/rpc/method.js'
import { RpcCallError } from '../../src-renderer/src/lib/client/errors.js'
import { describeContractReason, FIELD_LABELS, metadataLabel, nodeSentence, RULE_WORDS } from '../../src-renderer/src/lib/rules/plain-words.js'
import { describeProblem } from '../../src-renderer/src/lib/rules/problems.js'
import { fromSchema, jsonText } from '../helpers/hostile-json.js'
import type { Schema } from '../helpers/hostile-json.js'

/** Schema words that only give structure: they cannot fail by themselves. */
const STRUCTURAL = new Set(['properties', 'items', 'description', 'title', 'default', 'examples', '$id', '$ref', 'definitions', '$defs', 'nullable'])
/** What must never reach a person. */
const DEVELOPER_TEXT: Array<[string, RegExp]> = [
  ['a wire name', /\b[a-z]+_[a-z_]+\b/],
  ['a JSON pointer', /\/\d+(\/|\b)|\/[a-z]+_[a-z]/],
  ['a pattern', /[\^$\\]|\[0-9/],
  ['ajv\'s phrasing', /must NOT|must match|must have required|must be (integer|string|number|object|array|boolean|equal)/],
  ['"uint256"', /uint256/],
  ['"Invalid params"', /Invalid (params|transaction)/],
]

/** The fields a person types into the app's forms: each must be named by its label. */
const TYPED_FIELDS = ['token_address', 'chain_id', 'token_id', 'path', 'key', 'name', 'passphrase', 'cid', 'meta_contract_id', 'endpoint', 'id']

function developerText (text: string): string[] {
  return DEVELOPER_TEXT.filter(([, pattern]) => pattern.test(text)).map(([what]) => `${what} in "${text}"`)
}

/** What the renderer shows for an error the node would answer. */
function shown (err: unknown): { text: string, data: Record<string, unknown> } {
  const rpc = toRpcError(err)
  const data = (rpc.data ?? {}) as Record<string, unknown>
  return { text: describeProblem(new RpcCallError(rpc.code, rpc.message, rpc.data)), data }
}

function keywordsOf (schema: unknown, into: Set<string>): void {
  if (typeof schema !== 'object' || schema === null) return
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) for (const inner of Object.values(value)) keywordsOf(inner, into)
    else if (key === 'items' || key === 'not' || key === 'propertyNames') keywordsOf(value, into)
    else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) value.forEach(inner => { keywordsOf(inner, into) })
    if (!STRUCTURAL.has(key)) into.add(key)
  }
}

const methods: RpcMethod[] = createRpcMethods({} as never)

describe('errors in a creator\'s words', () => {
  it('has words for every validation keyword any RPC schema uses', () => {
    const used = new Set<string>(['required', 'additionalProperties', 'type'])
    for (const method of methods) for (const param of method.params) keywordsOf(param.schema, used)
    expect(used.size).toBeGreaterThan(8)
    expect([...used].filter(keyword => RULE_WORDS[keyword] === undefined)).toEqual([])
  })

  it('says every keyword\'s failure plainly, with the field\'s label and what to do', () => {
    // One failing value per keyword, on a field the forms label, through the node's own schema check.
    const cases: Array<[string, object, unknown]> = [
      ['required', { type: 'string' }, undefined],
      ['minLength', { type: 'string', minLength: 1 }, ''],
      ['maxLength', { type: 'string', maxLength: 4 }, 'too long'],
      ['pattern', { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' }, '0x12'],
      ['type', { type: 'string' }, 42],
      ['enum', { enum: ['secp256k1', 'ed25519'] }, 'rsa'],
      ['minimum', { type: 'integer', minimum: 1 }, 0],
      ['maximum', { type: 'integer', maximum: 10 }, 11],
      ['minItems', { type: 'array', minItems: 1 }, []],
      ['maxItems', { type: 'array', maxItems: 1 }, [1, 2]],
      ['anyOf', { anyOf: [{ type: 'string' }, { type: 'integer' }] }, true],
      ['additionalProperties', { type: 'object', properties: {}, additionalProperties: false }, { mood: 1 }],
    ]
    for (const [keyword, schema, value] of cases) {
      const method = compileMethod({ name: 'probe' as never, description: '', params: [{ name: 'token_address', schema }], handler: () => null })
      let thrown: unknown
      try { method.bind(value === undefined ? {} : { token_address: value }) } catch (err) { thrown = err }
      const { text, data } = shown(thrown)
      // ajv names the first branch's failure of an anyOf, not the anyOf itself.
      expect(data.keyword, keyword).toBe(keyword === 'anyOf' ? 'type' : keyword)
      expect(text, keyword).toMatch(/^NFT contract address /)
      expect(text, keyword).toContain('0x followed by 40 digits')
      expect(developerText(text), keyword).toEqual([])
    }
  })

  it('names a field inside a parameter by its own label (options.chain_id → Network)', () => {
    const method = methods.find(m => m.name === 'import_folder')
    if (method === undefined) throw new Error('import_folder is not listed')
    let thrown: unknown
    try { compileMethod(method).bind(['/tmp/x', { chain_id: 'x'.repeat(40), token_address: '0x', meta_contract_id: 'erc721', key: 'studio', passphrase: 'p' }]) } catch (err) { thrown = err }
    expect(shown(thrown).text).toBe('Network is too long (at most 32 characters). Choose the network your NFT contract is deployed on.')
  })

  it(`leaves no developer text in any error of any of the ${methods.length} methods, for generated bad params`, () => {
    const failures: string[] = []
    const keywords = new Set<string>()
    const unlabelled = new Set<string>()
    for (const method of methods) {
      const compiled = compileMethod(method)
      const params = fc.tuple(...method.params.map(p => fc.option(fromSchema(p.schema as Schema, p.name, {}, 3), { nil: undefined, freq: 3 })))
      fc.assert(fc.property(params, values => {
        const named = Object.fromEntries(method.params.map((p, i) => [p.name, values[i]]).filter(([, v]) => v !== undefined).map(([name, v]) => [name, JSON.parse(jsonText(v as never)) as unknown]))
        let thrown: unknown
        try { compiled.bind(named) } catch (err) { thrown = err }
        if (thrown === undefined) return
        const { text, data } = shown(thrown)
        if (typeof data.keyword === 'string') keywords.add(data.keyword)
        const field = typeof data.property === 'string' && FIELD_LABELS[data.property] !== undefined ? data.property : data.field
        if (typeof field === 'string' && TYPED_FIELDS.includes(field) && !text.startsWith(FIELD_LABELS[field] ?? '?')) unlabelled.add(`${method.name}.${field}: ${text}`)
        failures.push(...developerText(text).map(f => `${method.name}: ${f}`))
      }), { seed: 1818, numRuns: 40 })
    }
    expect(failures.slice(0, 10)).toEqual([])
    expect([...unlabelled].slice(0, 10)).toEqual([])
    // The generated values did break many kinds of rule, not one.
    expect(keywords.size).toBeGreaterThanOrEqual(6)
  })

  it('keeps the node\'s own sentence for a field only when it is written for people', () => {
    expect(nodeSentence('Invalid params: path /home/me/x does not exist', 'path')).toBe('/home/me/x does not exist')
    expect(nodeSentence('Invalid params: token_id is not a token id: must be a decimal uint256', 'token_id')).toBeNull()
    expect(nodeSentence('Invalid params: options.key: must match pattern "^[a-z]+$"', 'options')).toBeNull()
  })

  it('says the ERC-721 rules\' reasons with the editor\'s labels', () => {
    expect(describeContractReason('invalid ERC-721 metadata: background_color: must be 6 hexadecimal digits without #')).toBe('Background color must be 6 hexadecimal digits without #.')
    expect(describeContractReason('invalid ERC-721 metadata: attributes[1].value: is required')).toBe('Trait 2 value is missing.')
    expect(describeContractReason('invalid ERC-721 metadata: attributes: must be an array')).toBe('Traits must be a list.')
    expect(describeContractReason('the collab list is full')).toBe('the collab list is full')
    expect(describeContractReason('invalid ERC-721 metadata: attributes[0].value: must be a number when display_type is "number"')).toBe('Trait 1 value must be a number, since the trait is shown as "number".')
    expect(describeContractReason('invalid ERC-721 metadata: mood: unknown field (ERC-721 metadata allows name, description; write other data under an alias)')).toBe('"mood" is not an ERC-721 field: remove it in the raw JSON, or keep extra data in a separate document.')
    expect(describeContractReason('invalid ERC-721 metadata: attributes[2].rarity: unknown field (allowed: trait_type, value, display_type, max_value)')).toBe('Trait 3 "rarity" is not a trait field marketplaces know: keep only its type, value, display and maximum.')
    expect(describeContractReason('invalid ERC-721 metadata: image: must be a URI with a scheme (e.g. ipfs://… or https://…)')).toBe('Image address must be a full address starting with ipfs://, https:// or similar.')
    expect(metadataLabel('attributes[0].display_type')).toBe('Trait 1 display')
  })
})
