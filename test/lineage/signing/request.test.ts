import { describe, expect, it } from 'vitest'
import {
  MAX_ALIAS_BYTES, MAX_DATA_BYTES, MAX_MCDATA_BYTES, MAX_META_CONTRACT_ID_BYTES, MAX_VERSION_BYTES, encodeBase58, signingMessage,
  validateTransactionRequest, verifyTransactionSignature
} from '../../../src-main/lineage/signing/index.js'
import { ED25519_REQUEST, ED25519_SIGNATURE, EVM_REQUEST, EVM_SIGNATURE } from './vectors.js'

const SIGNED = { ...EVM_REQUEST, signature: EVM_SIGNATURE }

const refused = (field: string, detail: string): unknown => expect.objectContaining({
  name: 'InvalidTransactionError', field, message: `Invalid transaction: ${field} ${detail}`
})
const validate = (change: Record<string, unknown>): unknown => validateTransactionRequest({ ...SIGNED, ...change })

describe('validateTransactionRequest', () => {
  it('returns a new object with exactly the known fields', () => {
    const valid = validateTransactionRequest(SIGNED)
    expect(valid).toEqual(SIGNED)
    expect(valid).not.toBe(SIGNED)
    expect(validateTransactionRequest({ ...ED25519_REQUEST, signature: ED25519_SIGNATURE }).public_key).toBe(ED25519_REQUEST.public_key)
  })

  it('refuses a value that is not an object, a missing field, a non-string and an unknown field, naming it', () => {
    const shape = 'must be an object with the fields method, chain_id, token_address, token_id, meta_contract_id, alias, version, public_key, nonce, timestamp, data, mcdata, signature.'
    for (const raw of [null, [], 'text', 42]) expect(() => validateTransactionRequest(raw)).toThrow(refused('request', shape) as Error)
    const withoutAlias: Partial<typeof SIGNED> = { ...SIGNED }
    delete withoutAlias.alias
    expect(() => validateTransactionRequest(withoutAlias)).toThrow(refused('alias', 'is missing.') as Error)
    expect(() => validate({ token_id: 42 })).toThrow(refused('token_id', 'must be a string; got number.') as Error)
    expect(() => validate({ mcdata: null })).toThrow(refused('mcdata', 'must be a string; got null.') as Error)
    expect(() => validate({ tokenId: '42' })).toThrow(refused('tokenId', 'is not a transaction field (unknown fields are refused so that a misspelt field is not silently ignored).') as Error)
    expect(() => validate({ signature: '' })).toThrow(refused('signature', 'is empty.') as Error)
  })

  it('takes timestamp as integer milliseconds between 2020 and 9999, naming what is wrong', () => {
    const withoutTimestamp: Partial<typeof SIGNED> = { ...SIGNED }
    delete withoutTimestamp.timestamp
    expect(() => validateTransactionRequest(withoutTimestamp)).toThrow(refused('timestamp', 'is missing (milliseconds since 1970-01-01 UTC when the request was signed, e.g. Date.now()).') as Error)
    expect(() => validate({ timestamp: '1764000000000' })).toThrow(refused('timestamp', 'must be an integer number of milliseconds since 1970-01-01 UTC; got string.') as Error)
    expect(() => validate({ timestamp: 1764000000000.5 })).toThrow(refused('timestamp', 'must be an integer number of milliseconds since 1970-01-01 UTC; got 1764000000000.5.') as Error)
    expect(() => validate({ timestamp: 1764000000 })).toThrow(refused('timestamp', 'must be between 2020-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z; got 1764000000.') as Error)
    expect(() => validate({ timestamp: 2 ** 53 })).toThrow(expect.objectContaining({ name: 'InvalidTransactionError', field: 'timestamp' }) as Error)
    expect((validate({ timestamp: Date.UTC(2020, 0, 1) }) as { timestamp: number }).timestamp).toBe(1577836800000)
  })

  it('refuses control, invisible and unpaired-surrogate characters in every field written into the signed text', () => {
    const characters: Array<[string, string]> = [
      ['\n', '000A'], ['\r', '000D'], ['\u0000', '0000'], ['\t', '0009'], ['\u007f', '007F'], ['\u0085', '0085'],
      ['\u2028', '2028'], ['\u2029', '2029'], ['\u202e', '202E'], ['\u200b', '200B'], ['\ufeff', 'FEFF'], ['\ud800', 'D800']
    ]
    for (const field of ['meta_contract_id', 'alias', 'version']) {
      for (const [char, code] of characters) {
        expect(() => validate({ [field]: `ab${char}c` }), `${field} ${code}`).toThrow(refused(field,
          `contains the character U+${code} at position 2; control and invisible characters would make the signed text ambiguous.`) as Error)
      }
    }
    for (const field of ['method', 'chain_id', 'token_address', 'token_id', 'public_key', 'nonce'] as const) {
      const value = `${SIGNED[field]}\n`
      expect(() => validate({ [field]: value }), field).toThrow(refused(field,
        `contains the character U+000A at position ${value.length - 1}; control and invisible characters would make the signed text ambiguous.`) as Error)
    }
  })

  it('signingMessage refuses the same characters, so an ambiguous text is never produced', () => {
    expect(() => signingMessage({ ...EVM_REQUEST, alias: 'x\nversion: v9' })).toThrow(refused('alias',
      'contains the character U+000A at position 1; control and invisible characters would make the signed text ambiguous.') as Error)
    expect(() => verifyTransactionSignature({ ...SIGNED, version: 'v1\r' })).toThrow(expect.objectContaining({ name: 'InvalidTransactionError', field: 'version' }))
  })

  it('allows newlines and any character in data and mcdata (they are signed by hash), but not unpaired surrogates', () => {
    expect(validate({ data: '{\n\t"a": "\u202e\u0000"\n}', mcdata: '\r\n' })).toMatchObject({ data: '{\n\t"a": "\u202e\u0000"\n}', mcdata: '\r\n' })
    expect(() => validate({ data: 'ab\udc00' })).toThrow(refused('data', 'contains an unpaired UTF-16 surrogate at position 2; it has no UTF-8 encoding.') as Error)
    expect(() => validate({ mcdata: '\ud83d' })).toThrow(refused('mcdata', 'contains an unpaired UTF-16 surrogate at position 0; it has no UTF-8 encoding.') as Error)
  })

  it('enforces the size limit of every field in UTF-8 bytes, accepting exactly the limit', () => {
    const limits: Array<[string, number]> = [
      ['data', MAX_DATA_BYTES], ['mcdata', MAX_MCDATA_BYTES], ['alias', MAX_ALIAS_BYTES], ['version', MAX_VERSION_BYTES], ['meta_contract_id', MAX_META_CONTRACT_ID_BYTES]
    ]
    for (const [field, limit] of limits) {
      expect(validate({ [field]: 'a'.repeat(limit) }), field).toMatchObject({ [field]: 'a'.repeat(limit) })
      expect(() => validate({ [field]: 'a'.repeat(limit + 1) }), field).toThrow(refused(field, `is ${limit + 1} bytes long (UTF-8); the limit is ${limit}.`) as Error)
    }
    expect(() => validate({ alias: 'é'.repeat(33) })).toThrow(refused('alias', 'is 66 bytes long (UTF-8); the limit is 64.') as Error)
    expect(() => validate({ signature: `0x${'a'.repeat(255)}` })).toThrow(refused('signature', 'is 257 characters long; the limit is 256.') as Error)
  })

  it('checks method, chain_id, nonce and meta_contract_id formats', () => {
    expect(() => validate({ method: 'cron' })).toThrow(refused('method', 'must be one of contract, metadata, clone; got "cron".') as Error)
    for (const chainId of ['01', '-1', '0x1', '', '1'.repeat(21)]) {
      expect(() => validate({ chain_id: chainId }), chainId).toThrow(refused('chain_id', `must be a decimal chain id without leading zeros (e.g. "1"); got "${chainId}".`) as Error)
    }
    const nonceRule = 'must be 16 to 128 characters of 0-9, a-z, A-Z, "_" and "-"'
    expect(validate({ nonce: 'a'.repeat(16) })).toMatchObject({ nonce: 'a'.repeat(16) })
    expect(validate({ nonce: 'Az09_-'.repeat(21) + 'xy' })).toMatchObject({ nonce: 'Az09_-'.repeat(21) + 'xy' })
    expect(() => validate({ nonce: 'a'.repeat(15) })).toThrow(refused('nonce', `${nonceRule}; got "${'a'.repeat(15)}".`) as Error)
    expect(() => validate({ nonce: 'a'.repeat(129) })).toThrow(refused('nonce', `${nonceRule}; got "${'a'.repeat(80)}…".`) as Error)
    expect(() => validate({ nonce: 'abcdefghijklmnop!' })).toThrow(refused('nonce', `${nonceRule}; got "abcdefghijklmnop!".`) as Error)
    expect(() => validate({ meta_contract_id: '' })).toThrow(refused('meta_contract_id', 'is empty.') as Error)
  })

  it('checks token_id: canonical decimal uint256, "" only for a contract binding', () => {
    const rule = 'must be a decimal uint256 without leading zeros'
    expect(validate({ token_id: '0' })).toMatchObject({ token_id: '0' })
    const max = ((1n << 256n) - 1n).toString()
    expect(validate({ token_id: max })).toMatchObject({ token_id: max })
    expect(() => validate({ token_id: (1n << 256n).toString() })).toThrow(refused('token_id', 'is larger than the largest uint256.') as Error)
    expect(() => validate({ token_id: '9'.repeat(79) })).toThrow(refused('token_id', `${rule}; got "${'9'.repeat(79)}".`) as Error)
    expect(() => validate({ token_id: '042' })).toThrow(refused('token_id', `${rule}; got "042".`) as Error)
    expect(() => validate({ token_id: '0x2a' })).toThrow(refused('token_id', `${rule}; got "0x2a".`) as Error)
    expect(() => validate({ token_id: '' })).toThrow(refused('token_id', `${rule}; got "".`) as Error)
    expect(validate({ method: 'contract', token_id: '' })).toMatchObject({ method: 'contract', token_id: '' })
    expect(() => validate({ method: 'contract', token_id: '-1' })).toThrow(refused('token_id', `${rule}, or "" for the whole collection; got "-1".`) as Error)
  })

  it('checks addresses, including the EIP-55 checksum of a mixed-case one', () => {
    expect(() => validate({ token_address: '0x1234' })).toThrow(refused('token_address', 'must be 0x followed by 40 hex digits; got "0x1234".') as Error)
    const wrongCase = SIGNED.token_address.replace('BC4', 'bc4')
    expect(() => validate({ token_address: wrongCase })).toThrow(refused('token_address',
      `has mixed case that is not its EIP-55 checksum (${wrongCase}); check the address, or write it all lower-case.`) as Error)
    const badKey = SIGNED.public_key.replace('2c7536E', '2c7536e')
    expect(() => validate({ public_key: badKey })).toThrow(expect.objectContaining({ name: 'InvalidTransactionError', field: 'public_key' }))
    expect(validate({ public_key: SIGNED.public_key.toUpperCase().replace('0X', '0x') })).toMatchObject({ signature: EVM_SIGNATURE })
  })

  it('checks an ed25519 public_key: base58 of exactly 32 bytes', () => {
    const rule = (value: string): string => `must be a 0x EVM address or the base58 encoding of a 32-byte ed25519 key; got "${value}".`
    for (const key of [encodeBase58(new Uint8Array(31).fill(7)), encodeBase58(new Uint8Array(33).fill(7)), 'I0OlI0OlI0OlI0OlI0OlI0OlI0OlI0OlI0OlI0OlI0Ol', '']) {
      expect(() => validate({ public_key: key }), key).toThrow(refused('public_key', rule(key)) as Error)
    }
    const long = '2'.repeat(45)
    expect(() => validate({ public_key: long })).toThrow(refused('public_key', rule(long)) as Error)
  })
})
