import fs from 'node:fs'
import path from 'node:path'
import { CarWriter } from '@ipld/car/writer'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { archivePages, ARCHIVE_PAGE_LINKS, decodeTransactionBlock, encodeArchive, encodeTransactionBlock, pageTransactions } from '../../../src-main/lineage/archive/index.js'
import type { EncodedBlock } from '../../../src-main/dag/index.js'
import { signTransaction } from '../../../src-main/lineage/signing/index.js'
import type { TransactionRequest, UnsignedTransactionRequest } from '../../../src-main/lineage/signing/index.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { COLLECTION, createImportRig } from '../import/setup.js'
import type { ImportRig } from '../import/setup.js'

const fakeCid = (i: number): CID => CID.createV1(dagCbor.code, sha256.digest(new TextEncoder().encode(String(i))) as never)

async function writeCar (file: string, roots: CID[], blocks: EncodedBlock[]): Promise<void> {
  const { writer, out } = CarWriter.create(roots)
  const chunks: Uint8Array[] = []
  const reading = (async () => { for await (const chunk of out) chunks.push(chunk) })()
  for (const block of blocks) await writer.put(block)
  await writer.close()
  await reading
  fs.writeFileSync(file, Buffer.concat(chunks))
}

describe('transaction archive blocks', () => {
  it('pages the links so no block outgrows the limit, and reads them back in order', () => {
    const links = Array.from({ length: ARCHIVE_PAGE_LINKS + 1 }, (_, i) => fakeCid(i))
    const { root, pages } = encodeArchive(links)
    expect(pages).toHaveLength(2)
    const pageLinks = archivePages(root.cid, root.bytes)
    expect(pageLinks?.map(String)).toEqual(pages.map(p => p.cid.toString()))
    const back = pages.flatMap(p => pageTransactions(p.cid, p.bytes))
    expect(back.map(String)).toEqual(links.map(String))
    for (const page of pages) expect(page.bytes.length).toBeLessThan(256 * 1024)
  })

  it('tells an archive root from any other block, and names what is wrong with a broken one', () => {
    const other = encodeArchive([]).pages
    expect(other).toEqual([])
    const version = { cid: fakeCid(1), bytes: dagCbor.encode({ timestamp: 1, content: {} }) }
    expect(archivePages(version.cid, version.bytes)).toBeUndefined()
    const broken = dagCbor.encode({ format: 'lineage-transactions/1', pages: ['not a link'] })
    expect(() => archivePages(fakeCid(2), broken)).toThrow(expect.objectContaining({ name: 'InvalidArchiveError', message: expect.stringContaining('its pages must be a list of at most 4096 links') }))
    expect(() => pageTransactions(fakeCid(3), dagCbor.encode({ transactions: 'x' }))).toThrow(expect.objectContaining({ name: 'InvalidArchiveError' }))
  })

  it('keeps exactly the signed request fields of a transaction', () => {
    const request = { method: 'metadata', chain_id: '1', token_address: COLLECTION.token_address, token_id: '1', meta_contract_id: 'open', alias: '', version: 'v1', public_key: '0x0000000000000000000000000000000000000001', nonce: '0123456789abcdef', timestamp: 1764000000000, data: '{}', mcdata: '', signature: '0x00' } satisfies TransactionRequest
    const block = encodeTransactionBlock({ ...request, seq: 7, status: 'applied' } as TransactionRequest)
    expect(decodeTransactionBlock(block.cid, block.bytes)).toEqual(request)
  })
})

describe('importing an archive', () => {
  let rig: ImportRig
  let dir: { dir: string, cleanup: () => void }
  beforeAll(async () => {
    rig = await createImportRig()
    dir = tempDir('lineage-archive-')
  }, 60_000)
  afterAll(async () => {
    await rig.close()
    dir.cleanup()
  })

  it('replays signed transactions in order and refuses a forged one with the reason, storing nothing for it', async () => {
    const base: Omit<UnsignedTransactionRequest, 'method' | 'token_id' | 'nonce' | 'data'> = { ...COLLECTION, meta_contract_id: 'open', alias: '', version: 'v1', public_key: rig.signer.publicKey, timestamp: 1764000000000, mcdata: '' }
    const sign = (u: UnsignedTransactionRequest): TransactionRequest => ({ ...u, signature: signTransaction(u, rig.signer) })
    // Signed before the writes: canonical order is (timestamp, hash), whatever order the CAR lists.
    const bind = sign({ ...base, timestamp: base.timestamp - 1000, method: 'contract', token_id: '', nonce: 'archive-binding-0001', data: '{}' })
    const write = sign({ ...base, method: 'metadata', token_id: '5', nonce: 'archive-write-00001', data: '{"name":"five"}' })
    // Signed for token 5, claimed for token 6: the signature no longer matches.
    const forged = { ...sign({ ...base, method: 'metadata', token_id: '5', nonce: 'archive-write-00002', data: '{"name":"x"}' }), token_id: '6' }
    const txs = [bind, write, forged].map(encodeTransactionBlock)
    const { root, pages } = encodeArchive(txs.map(t => t.cid))
    const file = path.join(dir.dir, 'archive.car')
    await writeCar(file, [root.cid], [root, ...pages, ...txs])

    const { job } = await rig.importer.create({ source: file })
    const report = await rig.importer.run(job)
    expect(report.car?.transactions).toMatchObject({ total: 3, applied: 2, rejected: 0, known: 0 })
    expect(report.car?.transactions.refused).toEqual([{ cid: txs[2]?.cid.toString(), reason: expect.stringContaining('The transaction signature is not valid') }])
    expect(rig.count('SELECT count(*) AS n FROM transactions WHERE token_id = ?', '6')).toBe(0)
    const dataKey = rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, '5')
    const [slot] = rig.lineage.slots(dataKey, 'open')
    expect(slot?.content).toEqual({ name: 'five' })
    // The block's timestamp is the signed one, not this node's clock.
    expect((await rig.lineage.history(slot as never))[0]?.timestamp).toBe(1764000000000)
  })
})
