import { secp256k1 } from '@noble/curves/secp256k1.js'
import { Wallet } from 'ethers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRegistry, registryMessage, registryWriteHash, validateRegistryWrite, verifyRegistryWrite } from '../../../src-main/lineage/registry/index.js'
import type { Registry, RegistryWrite } from '../../../src-main/lineage/registry/index.js'
import { createStore } from '../../../src-main/store/index.js'
import type { Store } from '../../../src-main/store/index.js'
import { testLog } from '../../helpers/logger.js'
import { tempDir } from '../../helpers/temp-dir.js'

/** The worked example of docs/PROTOCOL.md ("Registry writes"): the same key as the transaction example. */
const README_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'
const README_WRITE = {
  registry_id: '0x01',
  registry_name: 'ERC-721 metadata',
  meta_contract_id: 'erc721',
  public_key: '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23',
  nonce: '9b2e4d6f8a0c1e3b5d7f9a1c3e5b7d9f',
}
const README_SIGNATURE = '0xbb801d44121867951e91ce388e478c9783b36e59da5719ee0ced55a9513db03a37e17aef88e7b25e85a789ea761297fe8d4b5aa56845b5490a092aa82aa8d77b1c'

describe('registry writes: the signed text and its verification', () => {
  it('matches the documented worked example byte for byte, with the signature ethers makes', async () => {
    expect(registryMessage(README_WRITE)).toBe([
      'Lineage registry v1',
      'registry_id: 0x01',
      'registry_name: ERC-721 metadata',
      'meta_contract_id: erc721',
      'public_key: 0x2c7536e3605d9c16a7a3d7b1898e529396a65c23',
      'nonce: 9b2e4d6f8a0c1e3b5d7f9a1c3e5b7d9f',
    ].join('\n'))
    expect(await new Wallet(README_KEY).signMessage(registryMessage(README_WRITE))).toBe(README_SIGNATURE)
    expect(registryWriteHash(README_WRITE)).toBe('562b279bf472367a30e716aa60afa9096af9202692ec7bbcf494b7e0f10a2aa5')
    expect(verifyRegistryWrite(validateRegistryWrite({ ...README_WRITE, signature: README_SIGNATURE }))).toBe('0x2c7536e3605d9c16a7a3d7b1898e529396a65c23')
  })

  it('refuses the high-s twin of a valid EVM signature, saying why', () => {
    const bytes = Buffer.from(README_SIGNATURE.slice(2), 'hex')
    const s = BigInt(`0x${bytes.subarray(32, 64).toString('hex')}`)
    const twin = Buffer.concat([bytes.subarray(0, 32), Buffer.from((secp256k1.Point.CURVE().n - s).toString(16).padStart(64, '0'), 'hex'), Buffer.from([bytes[64] === 27 ? 28 : 27])])
    const write: RegistryWrite = { ...README_WRITE, signature: `0x${twin.toString('hex')}` }
    expect(() => verifyRegistryWrite(write)).toThrowError(expect.objectContaining({ name: 'InvalidRegistrySignatureError', message: expect.stringContaining('upper half') }))
  })

  it('names the field of a malformed write', () => {
    const signed = { ...README_WRITE, signature: README_SIGNATURE }
    for (const [field, value] of [['registry_id', ''], ['registry_name', 'x'.repeat(129)], ['meta_contract_id', ''], ['public_key', '0x2C7536E3605D9C16a7a3D7b1898e529396a65c23'], ['public_key', '1111'], ['nonce', 'abc'], ['signature', '']] as const) {
      expect(() => validateRegistryWrite({ ...signed, [field]: value })).toThrowError(expect.objectContaining({ name: 'InvalidRegistryRequestError', field }))
    }
    expect(() => validateRegistryWrite({ ...signed, registry_name: 7 })).toThrowError(expect.objectContaining({ field: 'registry_name', message: expect.stringContaining('must be a string') }))
  })
})

describe('registry entries in a real store', () => {
  let store: Store
  let registry: Registry
  let cleanup: () => void
  beforeEach(() => {
    const t = tempDir()
    cleanup = t.cleanup
    store = createStore({ log: testLog }, { dataDir: t.dir })
    store.start()
    registry = createRegistry({ store, hasContract: id => ['open', 'erc721'].includes(id), log: testLog })
  })
  afterEach(() => {
    store.stop()
    cleanup()
  })

  it('creates an entry owned by its signer, and logs the write with its signature', () => {
    const result = registry.set({ ...README_WRITE, signature: README_SIGNATURE })
    expect(result).toEqual({
      hash: registryWriteHash(README_WRITE),
      created: true,
      entry: { registry_id: '0x01', registry_name: 'ERC-721 metadata', meta_contract_id: 'erc721', public_key: '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23', updated_at: expect.any(Number) },
    })
    expect(store.db.prepare('SELECT hash, public_key, nonce, signature FROM registry_writes').all()).toEqual([
      { hash: result.hash, public_key: '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23', nonce: README_WRITE.nonce, signature: README_SIGNATURE },
    ])
    expect(registry.list()).toEqual([result.entry])
  })

  it('refuses a contract the node cannot run, and a bad signature before anything else, writing nothing', async () => {
    const write = { ...README_WRITE, meta_contract_id: 'collab' }
    const signature = await new Wallet(README_KEY).signMessage(registryMessage(write))
    expect(() => registry.set({ ...write, signature })).toThrowError(expect.objectContaining({ name: 'UnknownMetaContractError', message: expect.stringContaining('"collab"') }))
    expect(() => registry.set({ ...write, meta_contract_id: 'open', signature })).toThrowError(expect.objectContaining({ name: 'InvalidRegistrySignatureError' }))
    expect(registry.list()).toEqual([])
    expect(store.db.prepare('SELECT count(*) FROM registry_writes').pluck().get()).toBe(0)
  })
})
