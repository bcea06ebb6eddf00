import { sha256 } from '@noble/hashes/sha2.js'
import { CID } from 'multiformats/cid'
import * as dagCbor from '@ipld/dag-cbor'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Lineage, Outcome } from '../../../src-main/lineage/engine/index.js'
import { createBlockstore } from '../../../src-main/store/index.js'
import { ledgerReads } from '../../../src-main/lineage/tokens/index.js'
import type { Store } from '../../../src-main/store/index.js'
import type { MarineServiceHandle } from '../../../services/toolchain/index.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'
import { ed25519Signer, evmSigner } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'

const COLLECTION = { chain_id: '1', token_address: '0x5af0d9827e0c53e4799bb226655a1de152a425a5' }
const DOCUMENT = { name: 'Milady #1', description: 'A test token', image: 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', attributes: [{ trait_type: 'Hat', value: 'Beret' }] }

describe('Lineage engine (real SQLite, blockstore, Marine contracts in the sandbox)', () => {
  let store: Store
  let keysService: MarineServiceHandle
  let lineage: Lineage
  let engine: TestEngine
  let binder: TestSigner

  beforeEach(async () => {
    engine = await startTestEngine(['open', 'erc721'])
    ;({ store, keysService, lineage } = engine)
    binder = evmSigner()
  }, 60_000)

  afterEach(async () => { await engine.stop() })

  async function publish (signer: TestSigner, fields: Record<string, string>): Promise<Pick<Outcome, 'hash' | 'status' | 'reason' | 'heads'>> {
    const request = await signer.sign({ method: 'metadata', ...COLLECTION, token_id: '1', meta_contract_id: 'erc721', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
    const { hash } = lineage.publish(request)
    await lineage.settled()
    const receipt = lineage.receipt(hash)
    if (receipt === undefined) throw new Error(`no receipt for ${hash}`)
    return { hash, status: receipt.status, reason: receipt.reason, heads: receipt.heads }
  }
  const bind = async (signer: TestSigner, contract = 'erc721'): Promise<Pick<Outcome, 'hash' | 'status' | 'reason' | 'heads'>> =>
    publish(signer, { method: 'contract', token_id: '', meta_contract_id: contract, data: '{}' })
  const rowCount = (table: string): number => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

  it('binds erc721, writes a valid document, updates it, and keeps a verifiable version chain', async () => {
    expect(await bind(binder)).toMatchObject({ status: 'applied' })
    const dataKey = lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, '1')
    expect(dataKey).toBe(keysService.call('data_key', ['1', COLLECTION.token_address, '1']))

    const first = await publish(binder, { data: JSON.stringify(DOCUMENT) })
    expect(first).toMatchObject({ status: 'applied', reason: '' })
    expect(first.heads).toHaveLength(1)
    expect(first.heads[0]).toMatch(/^bafyrei/)
    const second = await publish(binder, { data: JSON.stringify({ ...DOCUMENT, name: 'Milady #1 (revised)' }) })
    expect(second.status).toBe('applied')

    const slot = lineage.slot({ data_key: dataKey, meta_contract_id: 'erc721', public_key: binder.publicKey.toLowerCase(), alias: '', version: 'v1' })
    expect(slot).toMatchObject({ head_cid: second.heads[0], loose: 0, last_tx: second.hash, content: { ...DOCUMENT, name: 'Milady #1 (revised)' } })

    const history = await lineage.history(slot!)
    expect(history.map(v => v.cid)).toEqual([second.heads[0], first.heads[0]])
    expect(history.map(v => v.transaction.hash)).toEqual([second.hash, first.hash])
    // Every block hashes to its CID, computed here independently of our dag code.
    for (const version of history) {
      const bytes = createBlockstore(store, { transactionRows: ledgerReads }).getSync(CID.parse(version.cid))
      if (bytes === undefined) throw new Error(`missing block ${version.cid}`)
      const decoded = dagCbor.decode<{ content: unknown, previous?: CID }>(bytes)
      const digest = sha256(bytes)
      expect(CID.parse(version.cid).multihash.digest).toEqual(digest)
      expect(decoded.content).toEqual(version.content)
    }
    const newest = dagCbor.decode<{ previous?: CID }>(createBlockstore(store, { transactionRows: ledgerReads }).getSync(CID.parse(second.heads[0] ?? '')) ?? new Uint8Array())
    expect(newest.previous?.toString()).toBe(first.heads[0])
  })

  it('rejects what the contract rejects, with its reason, and changes no slot', async () => {
    await bind(binder)
    const bad = await publish(binder, { data: JSON.stringify({ ...DOCUMENT, background_color: 'red' }) })
    expect(bad.status).toBe('rejected')
    expect(bad.reason).toContain('background_color')
    expect(rowCount('slots')).toBe(0)

    const stranger = ed25519Signer()
    const intruder = await publish(stranger, { data: JSON.stringify(DOCUMENT) })
    expect(intruder).toMatchObject({ status: 'rejected', reason: expect.stringContaining('only the collection\'s binder') })
    const ownAlias = await publish(stranger, { alias: stranger.publicKey, data: '{"lore":"a fan theory"}' })
    expect(ownAlias.status).toBe('applied')
    expect(rowCount('slots')).toBe(1)
  })

  it('refuses tampered signatures, replays, unbound collections and foreign rebinding, storing nothing', async () => {
    await bind(binder)
    const before = rowCount('transactions')

    const signed = await binder.sign({ method: 'metadata', ...COLLECTION, token_id: '1', meta_contract_id: 'erc721', alias: '', version: 'v1', data: JSON.stringify(DOCUMENT), mcdata: '' })
    expect(() => lineage.publish({ ...signed, token_id: '2' })).toThrowError(expect.objectContaining({ name: 'InvalidSignatureError' }))
    expect(() => lineage.publish({ ...signed, data: JSON.stringify({ ...DOCUMENT, name: 'forged' }) })).toThrowError(expect.objectContaining({ name: 'InvalidSignatureError' }))
    expect(rowCount('transactions')).toBe(before)

    lineage.publish(signed)
    await lineage.settled()
    expect(() => lineage.publish(signed)).toThrowError(expect.objectContaining({ name: 'ReplayedTransactionError', message: expect.stringContaining('new nonce') }))
    expect(rowCount('transactions')).toBe(before + 1)

    const other = await binder.sign({ method: 'metadata', chain_id: '1', token_address: '0x0000000000000000000000000000000000000001', token_id: '1', meta_contract_id: 'erc721', alias: '', version: 'v1', data: '{}', mcdata: '' })
    expect(() => lineage.publish(other)).toThrowError(expect.objectContaining({ name: 'CollectionNotBoundError' }))
    const takeover = await evmSigner().sign({ method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'open', alias: '', version: 'v1', data: '{}', mcdata: '' })
    expect(() => lineage.publish(takeover)).toThrowError(expect.objectContaining({ name: 'BindingOwnerError' }))
    const wrongContract = await binder.sign({ method: 'metadata', ...COLLECTION, token_id: '1', meta_contract_id: 'open', alias: '', version: 'v1', data: '{}', mcdata: '' })
    expect(() => lineage.publish(wrongContract)).toThrowError(expect.objectContaining({ name: 'MetaContractMismatchError' }))
    const unknown = await binder.sign({ method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'nope', alias: '', version: 'v1', data: '{}', mcdata: '' })
    expect(() => lineage.publish(unknown)).toThrowError(expect.objectContaining({ name: 'UnknownMetaContractError' }))
    expect(() => lineage.publish({ ...signed, alias: 'x\ny' })).toThrowError(expect.objectContaining({ name: 'InvalidTransactionError' }))
    expect(rowCount('transactions')).toBe(before + 1)
    expect(rowCount('receipts')).toBe(before + 1)
  })

  it('clones a slot into the signer\'s own slot when the contract allows it', async () => {
    await bind(binder, 'open')
    const source = await publish(binder, { meta_contract_id: 'open', alias: 'lore', data: '{"chapter":1}' })
    const fan = ed25519Signer()
    const copy = await publish(fan, { method: 'clone', meta_contract_id: 'open', alias: 'fan-copy', mcdata: JSON.stringify({ public_key: binder.publicKey.toLowerCase(), alias: 'lore', version: 'v1' }) })
    expect(copy.status).toBe('applied')
    const dataKey = lineage.dataKey('1', COLLECTION.token_address, '1')
    expect(lineage.slot({ data_key: dataKey, meta_contract_id: 'open', public_key: fan.publicKey, alias: 'fan-copy', version: 'v1' })?.content).toEqual({ chapter: 1 })
    expect(source.heads[0]).not.toBe(copy.heads[0])
    const missing = await publish(fan, { method: 'clone', meta_contract_id: 'open', alias: 'x', mcdata: JSON.stringify({ public_key: fan.publicKey, alias: 'nothing', version: 'v1' }) })
    expect(missing).toMatchObject({ status: 'rejected', reason: 'the slot to clone does not exist' })
  })

  it('accepts metadata right after its binding, before the validator applied it, in one batch or back to back', async () => {
    const sign = async (fields: Record<string, string>): Promise<unknown> => await binder.sign({ method: 'metadata', ...COLLECTION, token_id: '3', meta_contract_id: 'open', alias: '', version: 'v1', data: '{"n":1}', mcdata: '', ...fields } as never)
    const results = lineage.publishBatch([await sign({ method: 'contract', token_id: '', data: '{}' }), await sign({})])
    expect(results.map(r => 'hash' in r)).toEqual([true, true])
    const direct = lineage.publish(await sign({ token_id: '4' }))
    await lineage.settled()
    for (const r of [...results, direct]) expect(lineage.receipt((r as { hash: string }).hash)?.status).toBe('applied')
    // A pending binding by another key does not let that key write under the first binder's contract.
    const other = evmSigner()
    const foreign = await other.sign({ method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'erc721', alias: '', version: 'v1', data: '{}', mcdata: '' })
    expect(() => lineage.publish(foreign)).toThrowError(expect.objectContaining({ name: 'BindingOwnerError' }))
  })

  it('emits applied and rejected events with the outcome', async () => {
    const seen: Outcome[] = []
    lineage.on('applied', o => seen.push(o))
    lineage.on('rejected', o => seen.push(o))
    const bound = await bind(binder)
    const bad = await publish(binder, { data: 'not json' })
    expect(seen.map(o => [o.hash, o.status])).toEqual([[bound.hash, 'applied'], [bad.hash, 'rejected']])
  })
})
