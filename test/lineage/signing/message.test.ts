import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalAddress, canonicalAlias, canonicalPublicKey, canonicalSlotKey, SIGNING_HEADER, signingBytes, signingMessage, transactionHash } from '../../../src-main/lineage/signing/index.js'
import { ED25519_HASH, ED25519_MESSAGE, ED25519_REQUEST, EVM_HASH, EVM_MESSAGE, EVM_REQUEST } from './vectors.js'

const sha256 = (text: string | Uint8Array): string => crypto.createHash('sha256').update(text).digest('hex')

describe('signingMessage', () => {
  it('writes the worked example of docs/PROTOCOL.md exactly: header, twelve fields in order, "\\n" between, no trailing newline', () => {
    expect(signingMessage(EVM_REQUEST)).toBe(EVM_MESSAGE)
    expect(signingMessage(ED25519_REQUEST)).toBe(ED25519_MESSAGE)
    const lines = EVM_MESSAGE.split('\n')
    expect(lines[0]).toBe(SIGNING_HEADER)
    expect(lines.slice(1).map(line => line.slice(0, line.indexOf(':')))).toEqual([
      'method', 'chain_id', 'token_address', 'token_id', 'meta_contract_id', 'alias', 'version', 'public_key', 'nonce', 'timestamp', 'data_sha256', 'mcdata_sha256'
    ])
    expect(EVM_MESSAGE.endsWith('\n')).toBe(false)
  })

  it('hashes data and mcdata as SHA-256 of their UTF-8 bytes', () => {
    const data = '{\n  "name": "Ünïcødé 🦍"\n}'
    const message = signingMessage({ ...EVM_REQUEST, data, mcdata: 'extra' })
    expect(message).toContain(`\ndata_sha256: ${sha256(Buffer.from(data, 'utf8'))}\n`)
    expect(message.endsWith(`\nmcdata_sha256: ${sha256('extra')}`)).toBe(true)
  })

  it('lower-cases token_address and an EVM public_key, so every spelling of an address signs the same text', () => {
    const lower = signingMessage({ ...EVM_REQUEST, token_address: EVM_REQUEST.token_address.toLowerCase(), public_key: EVM_REQUEST.public_key.toLowerCase() })
    const upper = signingMessage({ ...EVM_REQUEST, token_address: `0x${EVM_REQUEST.token_address.slice(2).toUpperCase()}` })
    expect(lower).toBe(EVM_MESSAGE)
    expect(upper).toBe(EVM_MESSAGE)
  })

  it('keeps a base58 public_key, meta_contract_id, alias and version exactly as given (they are case-sensitive)', () => {
    const message = signingMessage({ ...ED25519_REQUEST, meta_contract_id: 'bafyMixedCase', alias: 'Lore', version: 'V2' })
    expect(message).toContain('\nmeta_contract_id: bafyMixedCase\nalias: Lore\nversion: V2\npublic_key: FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z\n')
  })

  it('writes an empty alias (the main document) as "alias: " and an empty token_id for a contract binding', () => {
    expect(signingMessage({ ...EVM_REQUEST, alias: '' })).toContain('\nalias: \nversion: v1\n')
    expect(signingMessage({ ...EVM_REQUEST, method: 'contract', token_id: '' })).toContain('\nmethod: contract\n')
    expect(signingMessage({ ...EVM_REQUEST, method: 'contract', token_id: '' })).toContain('\ntoken_id: \n')
  })

  it('signingBytes is the UTF-8 encoding of the text', () => {
    const request = { ...ED25519_REQUEST, alias: 'légende' }
    expect(Buffer.from(signingBytes(request)).toString('utf8')).toBe(signingMessage(request))
    expect(signingBytes(request).length).toBe(Buffer.byteLength(signingMessage(request)))
  })
})

describe('transactionHash', () => {
  it('is the hex SHA-256 of the signed bytes (pinned vectors, checked with node:crypto)', () => {
    expect(transactionHash(EVM_REQUEST)).toBe(EVM_HASH)
    expect(transactionHash(ED25519_REQUEST)).toBe(ED25519_HASH)
    expect(sha256(EVM_MESSAGE)).toBe(EVM_HASH)
    expect(sha256(ED25519_MESSAGE)).toBe(ED25519_HASH)
  })

  it('ignores the signature, so a re-encoded signature of the same request has the same hash (a replay)', () => {
    expect(transactionHash({ ...EVM_REQUEST, signature: '0xaa' } as typeof EVM_REQUEST)).toBe(EVM_HASH)
    expect(transactionHash({ ...EVM_REQUEST, token_address: EVM_REQUEST.token_address.toLowerCase() })).toBe(EVM_HASH)
  })

  it('changes with the nonce and with every other field', () => {
    expect(transactionHash({ ...EVM_REQUEST, nonce: 'aaaaaaaaaaaaaaaa' })).not.toBe(EVM_HASH)
    expect(transactionHash({ ...EVM_REQUEST, data: `${EVM_REQUEST.data} ` })).not.toBe(EVM_HASH)
    expect(transactionHash({ ...EVM_REQUEST, mcdata: 'x' })).not.toBe(EVM_HASH)
  })
})

describe('canonical keys and aliases (the one form the node stores and looks up)', () => {
  const checksummed = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23'
  const lower = checksummed.toLowerCase()
  const upper = `0x${checksummed.slice(2).toUpperCase()}`

  it('lower-cases an EVM key and an alias that is that key, in any spelling; leaves base58 and other aliases as written', () => {
    for (const key of [checksummed, lower, upper]) {
      expect(canonicalPublicKey(key)).toBe(lower)
      for (const alias of [checksummed, lower, upper]) expect(canonicalSlotKey({ public_key: key, alias, version: 'v1' })).toEqual({ public_key: lower, alias: lower, version: 'v1' })
    }
    const base58 = '7Gc8sEo8VKzMH1B1wbm4Y9m7kC8Xm6YdHAhNYHFhHzDn'
    expect(canonicalSlotKey({ public_key: base58, alias: 'Lore' })).toEqual({ public_key: base58, alias: 'Lore' })
    // Another address as alias is text: only the writer's own address is the key.
    const other = `0x${'AB'.repeat(20)}`
    expect(canonicalAlias(other, checksummed)).toBe(other)
    expect(canonicalAlias('Lore', checksummed)).toBe('Lore')
    expect(canonicalAddress(upper)).toBe(lower)
    expect(canonicalAddress('0xnot-an-address')).toBe('0xnot-an-address')
  })

  it('signs the same text, with the same hash, for every spelling of the addresses', () => {
    const spelt = [checksummed, lower, upper].map(key => transactionHash({ ...EVM_REQUEST, public_key: key, token_address: EVM_REQUEST.token_address.toLowerCase() }))
    expect(new Set(spelt)).toEqual(new Set([EVM_HASH]))
  })
})
