// Writing the content a slot already holds is not a new version: the receipt says so, and no
// block, head or slot row changes. Real SQLite, blockstore and Marine contracts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lineage, Outcome, ReceiptRow } from '../../../src-main/lineage/engine/index.js'
import type { Store } from '../../../src-main/store/index.js'
import { ed25519Signer, evmSigner } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'

const COLLECTION = { chain_id: '1', token_address: '0x5af0d9827e0c53e4799bb226655a1de152a425a5' }
const OPEN = { ...COLLECTION, token_address: '0x00000000000000000000000000000000000000b1' }

describe('a write of the content a slot already holds', () => {
  let engine: TestEngine
  let lineage: Lineage
  let store: Store
  let binder: TestSigner
  const outcomes: Outcome[] = []

  beforeAll(async () => {
    engine = await startTestEngine(['open', 'erc721'])
    ;({ lineage, store } = engine)
    lineage.on('applied', o => outcomes.push(o))
    binder = evmSigner()
    for (const [collection, contract] of [[COLLECTION, 'erc721'], [OPEN, 'open']] as const) {
      const receipt = await publish(binder, { ...collection, method: 'contract', token_id: '', meta_contract_id: contract, data: '{}' })
      expect(receipt.status).toBe('applied')
    }
  }, 60_000)
  afterAll(async () => { await engine.stop() })

  async function publish (signer: TestSigner, fields: Record<string, string>): Promise<ReceiptRow> {
    const request = await signer.sign({ method: 'metadata', ...COLLECTION, token_id: '1', meta_contract_id: 'erc721', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
    const { hash } = lineage.publish(request)
    await lineage.settled()
    const receipt = lineage.receipt(hash)
    if (receipt === undefined) throw new Error(`no receipt for ${hash}`)
    return receipt
  }
  const count = (table: string): number => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
  const slotRow = (tokenId: string, alias = '', contract = 'erc721', key = binder.publicKey): unknown =>
    store.db.prepare('SELECT * FROM slots WHERE data_key = ? AND meta_contract_id = ? AND public_key = ? AND alias = ?')
      .get(lineage.dataKey(COLLECTION.chain_id, contract === 'open' ? OPEN.token_address : COLLECTION.token_address, tokenId), contract, key.startsWith('0x') ? key.toLowerCase() : key, alias)

  it('is applied, unchanged, names the version that holds it, and stores nothing', async () => {
    const document = { name: 'Ape #2', description: 'first', attributes: [{ trait_type: 'Fur', value: 'Gold' }] }
    const first = await publish(binder, { token_id: '2', data: JSON.stringify(document) })
    expect(first).toMatchObject({ status: 'applied', unchanged: false })
    const before = { blocks: count('blocks'), slot: slotRow('2') }

    // The same document, in another key order and spacing: the same content as a version stores it.
    const again = await publish(binder, { token_id: '2', data: '{ "attributes": [{"value":"Gold","trait_type":"Fur"}], "description":"first", "name":"Ape #2" }' })
    expect(again).toMatchObject({ status: 'applied', reason: '', unchanged: true, heads: first.heads })
    expect(count('blocks')).toBe(before.blocks)
    expect(slotRow('2')).toEqual(before.slot)
    expect(outcomes.at(-1)).toMatchObject({ hash: again.hash, status: 'applied', unchanged: true, heads: first.heads })
    // The transaction itself is kept (its nonce is used, its receipt is applied).
    expect(lineage.transaction(again.hash)?.status).toBe('applied')

    // Changing the content is how a creator records a new version.
    const changed = await publish(binder, { token_id: '2', data: JSON.stringify({ ...document, description: 'second' }) })
    expect(changed).toMatchObject({ status: 'applied', unchanged: false })
    expect(changed.heads[0]).not.toBe(first.heads[0])
    expect(count('blocks')).toBe(before.blocks + 1)
    const slot = lineage.slot({ data_key: lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, '2'), meta_contract_id: 'erc721', public_key: binder.publicKey, alias: '', version: 'v1' })
    expect((await lineage.history(slot!)).map(v => (v.content as { description: string }).description)).toEqual(['second', 'first'])

    // Back to the first content is a change too: the comparison is with the current version only.
    const back = await publish(binder, { token_id: '2', data: JSON.stringify(document) })
    expect(back).toMatchObject({ status: 'applied', unchanged: false })
    expect(back.heads[0]).not.toBe(first.heads[0])
  })

  it('is decided per slot: the same content under another alias, version or token is a first version', async () => {
    const data = JSON.stringify({ note: 'same' })
    const fan = ed25519Signer()
    const receipts = [
      await publish(fan, { token_id: '3', alias: fan.publicKey, data }),
      await publish(fan, { token_id: '3', alias: fan.publicKey, version: 'v2', data }),
      await publish(fan, { token_id: '4', alias: fan.publicKey, data }),
      await publish(fan, { token_id: '3', alias: fan.publicKey, data }),
    ]
    expect(receipts.map(r => [r.status, r.unchanged])).toEqual([['applied', false], ['applied', false], ['applied', false], ['applied', true]])
    expect(receipts[3]?.heads).toEqual(receipts[0]?.heads)
  })

  it('a clone of content the target slot already holds is unchanged too', async () => {
    const open = { ...OPEN, meta_contract_id: 'open' }
    const source = await publish(binder, { ...open, alias: 'lore', data: '{"chapter":1}' })
    const fan = ed25519Signer()
    const mcdata = JSON.stringify({ public_key: binder.publicKey, alias: 'lore', version: 'v1' })
    const first = await publish(fan, { ...open, method: 'clone', alias: 'copy', mcdata })
    const second = await publish(fan, { ...open, method: 'clone', alias: 'copy', mcdata })
    expect([source, first, second].map(r => [r.status, r.unchanged])).toEqual([['applied', false], ['applied', false], ['applied', true]])
    expect(second.heads).toEqual(first.heads)
    expect(slotRow('1', 'copy', 'open', fan.publicKey)).toMatchObject({ head_cid: first.heads[0], last_tx: first.hash })
  })

  it('a rejected write is not unchanged, and a binding never is', async () => {
    const rejected = await publish(binder, { token_id: '2', data: JSON.stringify({ description: 'no name' }) })
    expect(rejected).toMatchObject({ status: 'rejected', unchanged: false, heads: [] })
    const rebind = await publish(binder, { method: 'contract', token_id: '', data: '{}' })
    expect(rebind).toMatchObject({ status: 'applied', unchanged: false, heads: [] })
  })
})
