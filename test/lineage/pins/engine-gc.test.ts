import { CID } from 'multiformats/cid'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Lineage } from '../../../src-main/lineage/engine/index.js'
import { createPins } from '../../../src-main/lineage/pins/index.js'
import type { Pins } from '../../../src-main/lineage/pins/index.js'
import type { SqliteBlockstore, Store } from '../../../src-main/store/index.js'
import { testLog } from '../../helpers/logger.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'
import { evmSigner } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'
import { put, rawBlock, storedCids } from './helpers.js'

const COLLECTION = { chain_id: '1', token_address: '0x5af0d9827e0c53e4799bb226655a1de152a425a5' }

describe('pins and GC over versions the real engine wrote', () => {
  let store: Store
  let blockstore: SqliteBlockstore
  let lineage: Lineage
  let pins: Pins
  let engine: TestEngine
  let writer: TestSigner

  beforeEach(async () => {
    engine = await startTestEngine(['open'])
    ;({ store, blockstore, lineage } = engine)
    pins = createPins({ store, blockstore, log: testLog }, { walkSliceBlocks: 1 })
    writer = evmSigner()
    const { hash } = lineage.publish(await writer.sign({ method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'open', alias: '', version: 'v1', data: '{}', mcdata: '' }))
    await lineage.settled()
    expect(lineage.receipt(hash)?.status).toBe('applied')
  }, 60_000)

  afterEach(async () => { await engine.stop() })

  /** Queues one signed write of token `tokenId`; the validator applies it in the background. */
  async function write (tokenId: string, content: unknown): Promise<string> {
    return lineage.publish(await writer.sign({ method: 'metadata', ...COLLECTION, token_id: tokenId, meta_contract_id: 'open', alias: 'lore', version: 'v1', data: JSON.stringify(content), mcdata: '' })).hash
  }

  /** Every version of every slot, from its head, as the engine reads them. */
  async function allHistories (): Promise<string[]> {
    const heads = store.db.prepare('SELECT data_key, meta_contract_id, public_key, alias, version FROM slots').all() as Array<{ data_key: string, meta_contract_id: string, public_key: string, alias: string, version: string }>
    const versions: string[] = []
    for (const key of heads) {
      const slot = lineage.slot(key)
      if (slot === undefined) throw new Error('slot vanished')
      versions.push(...(await lineage.history(slot)).map(v => v.cid))
    }
    return versions
  }

  it('keeps every version of every slot while the validator writes during the GC, and pins a token\'s slots', async () => {
    for (let i = 0; i < 3; i++) await write('1', { chapter: i })
    await lineage.settled()
    const garbage = [await rawBlock('left over from a cancelled import'), await rawBlock('another')]
    put(blockstore, ...garbage)

    // New versions are applied while the GC marks, one block per slice.
    for (let i = 3; i < 8; i++) await write('1', { chapter: i })
    for (let i = 0; i < 3; i++) await write('2', { chapter: i })
    const [result] = await Promise.all([pins.gc(), lineage.settled()])
    expect(result.freed.sort()).toEqual(garbage.map(b => b.cid.toString()).sort())

    const versions = await allHistories()
    expect(versions).toHaveLength(11)
    expect(new Set(versions)).toEqual(storedCids(store))
    expect(store.integrityCheck()).toBe('ok')

    const dataKey = lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, '1')
    const [pin] = await pins.addToken({ data_key: dataKey })
    const head = lineage.slot({ data_key: dataKey, meta_contract_id: 'open', public_key: writer.publicKey.toLowerCase(), alias: 'lore', version: 'v1' })?.head_cid
    expect(pin).toMatchObject({ cid: head, recursive: true, blocks: 8 })
    expect(CID.parse(pin!.cid).toString()).toBe(head)
    expect(await pins.gc()).toEqual({ freed: [], bytes: 0 })
  })
})
