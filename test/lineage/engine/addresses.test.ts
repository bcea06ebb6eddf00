// An EVM address is one identity whatever its letter case: as a collection's contract address, as
// a signer's public_key, and as the alias an erc721 writer must use. Checked with the EIP-55
// checksum a wallet shows, lower case and upper case. Real SQLite, blockstore and Marine contracts.
import { getAddress } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lineage, ReceiptRow, TransactionRow } from '../../../src-main/lineage/engine/index.js'
import { checkSignedTransaction, transactionHash, UNSIGNED_FIELDS } from '../../../src-main/lineage/signing/index.js'
import type { Store } from '../../../src-main/store/index.js'
import { evmSigner } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'

const CHECKSUMMED = '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D'
const LOWER = CHECKSUMMED.toLowerCase()
const UPPER = `0x${CHECKSUMMED.slice(2).toUpperCase()}`
/** Every spelling of an address a client may send: the wallet's checksum, lower case, upper case. */
const spellings = (address: string): string[] => [getAddress(address), address.toLowerCase(), `0x${address.slice(2).toUpperCase()}`]

describe('EVM addresses in any case', () => {
  let engine: TestEngine
  let lineage: Lineage
  let store: Store
  let binder: TestSigner
  let fan: TestSigner

  beforeAll(async () => {
    engine = await startTestEngine(['open', 'erc721'])
    ;({ lineage, store } = engine)
    binder = evmSigner()
    fan = evmSigner()
    expect(binder.publicKey).toBe(getAddress(binder.publicKey))
    expect(binder.publicKey).not.toBe(binder.publicKey.toLowerCase())
    const bound = await publish(binder, { method: 'contract', token_address: CHECKSUMMED, token_id: '', data: '{}' })
    expect(bound.status).toBe('applied')
  }, 60_000)
  afterAll(async () => { await engine.stop() })

  async function publish (signer: TestSigner, fields: Record<string, string>): Promise<ReceiptRow & { tx: TransactionRow }> {
    const request = await signer.sign({ method: 'metadata', chain_id: '1', token_address: CHECKSUMMED, token_id: '1', meta_contract_id: 'erc721', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
    const { hash } = lineage.publish(request)
    expect(hash).toBe(transactionHash(request))
    await lineage.settled()
    const receipt = lineage.receipt(hash)
    const tx = lineage.transaction(hash)
    if (receipt === undefined || tx === undefined) throw new Error(`no receipt for ${hash}`)
    return { ...receipt, tx }
  }

  it('one collection for every spelling of its contract address, stored as the signed text names it', async () => {
    const receipts = []
    for (const [i, address] of [CHECKSUMMED, LOWER, UPPER].entries()) {
      receipts.push(await publish(binder, { token_address: address, data: JSON.stringify({ name: `Ape ${i}` }) }))
    }
    expect(receipts.map(r => r.status)).toEqual(['applied', 'applied', 'applied'])
    expect(receipts.map(r => r.tx.token_address)).toEqual([LOWER, LOWER, LOWER])
    expect(receipts.map(r => r.tx.data_key)).toEqual(Array(3).fill(lineage.dataKey('1', LOWER, '1')))
    const binding = lineage.binding(lineage.tokenKey('1', UPPER))
    expect(binding).toMatchObject({ token_address: LOWER, public_key: binder.publicKey.toLowerCase() })
    expect(store.db.prepare('SELECT DISTINCT token_address FROM transactions').pluck().all()).toEqual([LOWER])
    // One slot, three versions, each linking the one before.
    const slot = lineage.slot({ data_key: lineage.dataKey('1', CHECKSUMMED, '1'), meta_contract_id: 'erc721', public_key: binder.publicKey, alias: '', version: 'v1' })
    expect((await lineage.history(slot!)).map(v => v.cid)).toEqual(receipts.map(r => r.heads[0]).reverse())
  })

  it('the stored row still carries a valid signature and the same hash: nothing signed changed', async () => {
    const request = await binder.sign({ method: 'metadata', chain_id: '1', token_address: CHECKSUMMED, token_id: '5', meta_contract_id: 'erc721', alias: '', version: 'v1', data: '{"name":"five"}', mcdata: '' })
    const { hash } = lineage.publish(request)
    const row = lineage.transaction(hash)
    if (row === undefined) throw new Error('not stored')
    // What replication and CAR exports send is the stored row's fields.
    const fields = Object.fromEntries(UNSIGNED_FIELDS.map(field => [field, row[field]]))
    const resent = checkSignedTransaction({ ...fields, signature: row.signature })
    expect(resent.hash).toBe(hash)
    expect(resent.signer).toBe(binder.publicKey.toLowerCase())
    await lineage.settled()
  })

  it('finds a slot by its signer\'s public_key in any case', async () => {
    const dataKey = lineage.dataKey('1', LOWER, '1')
    const heads = spellings(binder.publicKey).map(publicKey => lineage.slot({ data_key: dataKey, meta_contract_id: 'erc721', public_key: publicKey, alias: '', version: 'v1' })?.head_cid)
    expect(heads[0]).toMatch(/^bafyrei/)
    expect(new Set(heads).size).toBe(1)
  })

  it('lets an erc721 writer use its own address as alias in any case, all in one lower-case slot', async () => {
    const receipts = []
    for (const [i, alias] of spellings(fan.publicKey).entries()) {
      receipts.push(await publish(fan, { alias, data: JSON.stringify({ note: i }) }))
    }
    expect(receipts.map(r => [r.status, r.reason])).toEqual(Array(3).fill(['applied', '']))
    const rows = store.db.prepare("SELECT public_key, alias FROM slots WHERE public_key = ? OR alias LIKE '0x%'").all(fan.publicKey.toLowerCase())
    expect(rows).toEqual([{ public_key: fan.publicKey.toLowerCase(), alias: fan.publicKey.toLowerCase() }])
    for (const publicKey of spellings(fan.publicKey)) {
      for (const alias of spellings(fan.publicKey)) {
        const slot = lineage.slot({ data_key: lineage.dataKey('1', LOWER, '1'), meta_contract_id: 'erc721', public_key: publicKey, alias, version: 'v1' })
        expect(slot?.content, `${publicKey} ${alias}`).toEqual({ note: 2 })
      }
    }
    // Another signer's address is still not the fan's alias, in any case.
    const stranger = await publish(fan, { alias: getAddress(binder.publicKey), data: '{}' })
    expect(stranger).toMatchObject({ status: 'rejected' })
    expect(stranger.reason).toContain('is not yours')
  })

  it('a clone names the slot to copy with an EVM key in any case', async () => {
    const open = { token_address: '0x00000000000000000000000000000000000000c1', meta_contract_id: 'open' }
    expect((await publish(binder, { ...open, method: 'contract', token_id: '', data: '{}' })).status).toBe('applied')
    expect((await publish(binder, { ...open, alias: 'lore', data: '{"chapter":1}' })).status).toBe('applied')
    for (const [i, key] of spellings(binder.publicKey).entries()) {
      const copy = await publish(fan, { ...open, method: 'clone', alias: `copy-${i}`, mcdata: JSON.stringify({ public_key: key, alias: 'lore', version: 'v1' }) })
      expect(copy, key).toMatchObject({ status: 'applied', reason: '' })
    }
  })
})
