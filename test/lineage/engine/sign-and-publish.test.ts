import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lineage } from '../../../src-main/lineage/engine/index.js'
import { createSigner } from '../../../src-main/lineage/keys/index.js'
import { UNSIGNED_FIELDS, verifyTransactionSignature } from '../../../src-main/lineage/signing/index.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000ee' }

describe('Lineage.signAndPublish (the engine signs with a node key, ed25519 on the thread pool)', () => {
  let engine: TestEngine
  let lineage: Lineage
  beforeAll(async () => {
    engine = await startTestEngine(['open'])
    lineage = engine.lineage
  }, 60_000)
  afterAll(async () => { await engine.stop() })

  it('stores valid signatures, refuses what fails a check without signing it, and applies the rest', async () => {
    const signer = createSigner('me', 'ed25519', crypto.getRandomValues(new Uint8Array(32)))
    let signed = 0
    const sign = signer.signAsync?.bind(signer)
    const counting = Object.assign(Object.create(signer) as typeof signer, {
      signAsync: async (message: Uint8Array) => { signed++; return await (sign as NonNullable<typeof sign>)(message) },
    })
    const base = { ...COLLECTION, meta_contract_id: 'open', alias: '', version: 'v1', public_key: signer.publicKey, mcdata: '', timestamp: Date.now() }
    // The binding signed before its writes: nodes order by (timestamp, hash).
    const [bound] = await lineage.signAndPublish([{ ...base, timestamp: base.timestamp - 1, method: 'contract', token_id: '', nonce: 'bind-000000000001', data: '{}' }], counting)
    expect(bound?.hash).toMatch(/^[0-9a-f]{64}$/)
    const results = await lineage.signAndPublish([
      { ...base, method: 'metadata', token_id: '1', nonce: 'item-000000000001', data: '{"name":"one"}' },
      { ...base, method: 'metadata', token_id: '2', nonce: 'item-000000000001', data: '{"name":"replay"}' },
      { ...base, method: 'metadata', token_id: '3', nonce: 'item-000000000003', data: '{"name":"three"}', meta_contract_id: 'erc721' },
      { ...base, method: 'metadata', token_id: '4', nonce: 'item-000000000004', data: '{"name":"four"}' },
    ], counting)
    expect(results.map(r => r.error?.name ?? 'ok')).toEqual(['ok', 'ReplayedTransactionError', 'UnknownMetaContractError', 'ok'])
    // The binding and the two accepted items: refused requests were never signed.
    expect(signed).toBe(3)
    await lineage.settled()
    const rows = engine.store.db.prepare('SELECT * FROM transactions ORDER BY seq').all() as Array<Record<string, unknown>>
    expect(rows).toHaveLength(3)
    for (const row of rows) {
      const request = Object.fromEntries([...UNSIGNED_FIELDS, 'signature'].map(f => [f, row[f]]))
      expect(verifyTransactionSignature(request as never).signer).toBe(signer.publicKey)
      expect(lineage.receipt(row.hash as string)?.status).toBe('applied')
    }
  })
})

describe('Lineage.signAndPublish: one request failing to sign', () => {
  let engine: TestEngine
  beforeAll(async () => { engine = await startTestEngine(['open']) }, 60_000)
  afterAll(async () => { await engine.stop() })

  it('is refused alone, with the signer\'s error; the rest of the batch is stored and applied', async () => {
    const signer = createSigner('me', 'ed25519', crypto.getRandomValues(new Uint8Array(32)))
    const base = { ...COLLECTION, meta_contract_id: 'open', alias: '', version: 'v1', public_key: signer.publicKey, mcdata: '', timestamp: Date.now() }
    await engine.lineage.signAndPublish([{ ...base, timestamp: base.timestamp - 1, method: 'contract', token_id: '', nonce: 'bind-000000000003', data: '{}' }], signer)
    const refusing = Object.assign(Object.create(signer) as typeof signer, {
      signAsync: async (message: Uint8Array) => {
        if (new TextDecoder().decode(message).includes('\ntoken_id: 2\n')) throw new Error('the device refused')
        return signer.sign(message)
      },
    })
    const results = await engine.lineage.signAndPublish([1, 2, 3].map(id => ({ ...base, method: 'metadata', token_id: String(id), nonce: `sign-00000000000${id}`, data: `{"n":${id}}` })), refusing)
    expect(results.map(r => r.error?.message ?? 'ok')).toEqual(['ok', 'the device refused', 'ok'])
    await engine.lineage.settled()
    expect(engine.store.db.prepare("SELECT token_id FROM transactions WHERE method = 'metadata' ORDER BY token_id").pluck().all()).toEqual(['1', '3'])
    for (const r of [results[0], results[2]]) expect(engine.lineage.receipt(r?.hash ?? '')?.status).toBe('applied')
  })
})

describe('outcome listeners', () => {
  let engine: TestEngine
  beforeAll(async () => { engine = await startTestEngine(['open']) }, 60_000)
  afterAll(async () => { await engine.stop() })

  it('a listener that throws does not keep the rest of a group from being heard', async () => {
    const signer = createSigner('me', 'ed25519', crypto.getRandomValues(new Uint8Array(32)))
    const base = { ...COLLECTION, meta_contract_id: 'open', alias: '', version: 'v1', public_key: signer.publicKey, mcdata: '', timestamp: Date.now() }
    await engine.lineage.signAndPublish([{ ...base, timestamp: base.timestamp - 1, method: 'contract', token_id: '', nonce: 'bind-000000000002', data: '{}' }], signer)
    await engine.lineage.settled()
    const heard: string[] = []
    const throwing = (): void => { throw new Error('listener bug') }
    engine.lineage.on('applied', throwing)
    engine.lineage.on('applied', outcome => { heard.push(outcome.data_key) })
    const results = await engine.lineage.signAndPublish([1, 2, 3].map(id => ({ ...base, method: 'metadata', token_id: String(id), nonce: `item-00000000000${id}x`, data: '{}' })), signer)
    await engine.lineage.settled()
    engine.lineage.off('applied', throwing)
    expect(heard).toHaveLength(3)
    expect(results.every(r => r.hash !== undefined)).toBe(true)
  })
})
