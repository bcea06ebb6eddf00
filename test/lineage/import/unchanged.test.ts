// Re-importing an unchanged folder stores nothing new: every item is "already there". And an
// import's addresses (the collection, the signing key, an alias that is the key) may be written in
// any letter case. Real engine, real contracts.
import fs from 'node:fs'
import path from 'node:path'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { getAddress } from 'ethers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSigner } from '../../../src-main/lineage/keys/index.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { COLLECTION, createImportRig } from './setup.js'
import type { ImportRig } from './setup.js'

const ITEMS = 30
const upper = (address: string): string => `0x${address.slice(2).toUpperCase()}`

describe('importing what is already there', () => {
  let rig: ImportRig
  let src: { dir: string, cleanup: () => void }
  let dir: string
  beforeEach(async () => {
    rig = await createImportRig()
    src = tempDir('lineage-import-src-')
    dir = path.join(src.dir, 'collection')
    fs.mkdirSync(dir)
    for (let i = 1; i <= ITEMS; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify({ name: `Token #${i}`, image: `ipfs://bafy${i}` }))
  }, 60_000)
  afterEach(async () => {
    await rig.close()
    src.cleanup()
  })

  const heads = (): string[] => rig.store.db.prepare('SELECT head_cid FROM slots ORDER BY data_key').pluck().all() as string[]

  it('counts unchanged items as already there, stores no version for them, and writes the changed ones', async () => {
    const checksummed = { token_address: getAddress(COLLECTION.token_address), public_key: getAddress(rig.signer.publicKey) }
    expect(checksummed.public_key).not.toBe(checksummed.public_key.toLowerCase())
    const first = await rig.importer.create({ source: dir, chain_id: '1', ...checksummed, meta_contract_id: 'erc721' })
    expect(await rig.importer.run(first.job, { signer: rig.signer })).toMatchObject({ state: 'done', applied: ITEMS, unchanged: 0, rejected_count: 0 })
    const before = { blocks: rig.count('SELECT count(*) AS n FROM blocks'), heads: heads() }
    expect(before.heads).toHaveLength(ITEMS)

    // The same folder again, the collection and key spelt otherwise: a new job, nothing new stored.
    const second = await rig.importer.create({ source: dir, chain_id: '1', token_address: upper(COLLECTION.token_address), public_key: upper(rig.signer.publicKey), meta_contract_id: 'erc721' })
    expect(second.params.public_key).toBe(rig.signer.publicKey.toLowerCase())
    const again = await rig.importer.run(second.job, { signer: rig.signer })
    expect(again).toMatchObject({ state: 'done', applied: ITEMS, unchanged: ITEMS, rejected_count: 0, skipped: 0 })
    expect(rig.importer.status(second.job)).toMatchObject({ applied: ITEMS, unchanged: ITEMS })
    expect(rig.count('SELECT count(*) AS n FROM blocks')).toBe(before.blocks)
    expect(heads()).toEqual(before.heads)
    expect(rig.count("SELECT count(*) AS n FROM receipts WHERE unchanged = 1")).toBe(ITEMS)

    // One file changed: one new version, the rest already there.
    fs.writeFileSync(path.join(dir, '7.json'), JSON.stringify({ name: 'Token #7 (revised)', image: 'ipfs://bafy7' }))
    const third = await rig.importer.create({ source: dir, ...COLLECTION, public_key: rig.signer.publicKey, meta_contract_id: 'erc721' })
    expect(await rig.importer.run(third.job, { signer: rig.signer })).toMatchObject({ applied: ITEMS, unchanged: ITEMS - 1 })
    expect(rig.count('SELECT count(*) AS n FROM blocks')).toBe(before.blocks + 1)
    expect(heads().filter((h, i) => h !== before.heads[i])).toHaveLength(1)
  })

  it('lets a collaborator import under the alias of its own key, written in any case', async () => {
    const binding = await rig.importer.create({ source: dir, ...COLLECTION, public_key: rig.signer.publicKey, meta_contract_id: 'erc721' })
    await rig.importer.run(binding.job, { signer: rig.signer })
    const fan = createSigner('fan', 'secp256k1', secp256k1.utils.randomSecretKey())
    const own = fan.publicKey.toLowerCase()
    for (const [i, alias] of [getAddress(own), own, upper(own)].entries()) {
      const job = await rig.importer.create({ source: dir, ...COLLECTION, public_key: getAddress(own), alias, meta_contract_id: 'erc721' })
      const report = await rig.importer.run(job.job, { signer: fan })
      // The first writes every item; the same content again under the same (lower-case) alias is already there.
      expect(report, alias).toMatchObject({ applied: ITEMS, unchanged: i === 0 ? 0 : ITEMS, rejected_count: 0 })
    }
    expect(rig.count('SELECT count(*) AS n FROM slots WHERE alias = ? AND public_key = ?', own, own)).toBe(ITEMS)
    expect(rig.count("SELECT count(*) AS n FROM slots WHERE alias LIKE '0x%' AND alias != lower(alias)")).toBe(0)
  })
})
