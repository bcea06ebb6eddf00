// The offline import session collects its heap in full as the import goes (ImportHeapCollector),
// so a long import's peak follows what is live. Real store, engine, contracts and folder source.
import fs from 'node:fs'
import path from 'node:path'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { afterAll, describe, expect, it } from 'vitest'
import { createSigner } from '../../src-main/lineage/keys/index.js'
import { createImportSession } from '../../src-main/node/index.js'
import { testLogger } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

const ITEMS = 600
const EVERY = 100
const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000c011e' }

describe('the offline import session', () => {
  const data = tempDir()
  const source = tempDir()
  afterAll(() => { data.cleanup(); source.cleanup() })

  it(`collects the heap in full every ${EVERY} items done, and the import is whole`, async () => {
    for (let i = 1; i <= ITEMS; i++) fs.writeFileSync(path.join(source.dir, `${i}.json`), JSON.stringify({ name: `#${i}`, description: 'x'.repeat(200) }))
    const session = await createImportSession({ dataDir: data.dir, heapCollectItems: EVERY }, { logger: testLogger })
    await session.start()
    try {
      const signer = createSigner('creator', 'secp256k1', secp256k1.utils.randomSecretKey())
      const { job } = await session.importer.create({ source: source.dir, ...COLLECTION, meta_contract_id: 'open', public_key: signer.publicKey })
      const report = await session.importer.run(job, { signer })
      expect({ state: report.state, applied: report.applied, rejected: report.rejected_count }).toEqual({ state: 'done', applied: ITEMS, rejected: 0 })
      // Progress is reported in steps, so a mark may be passed by more than one item at a time:
      // at least one collection, never more than one a mark.
      expect(session.heapCollections).toBeGreaterThanOrEqual(1)
      expect(session.heapCollections).toBeLessThanOrEqual(ITEMS / EVERY)
    } finally {
      await session.stop()
    }
  })
})
