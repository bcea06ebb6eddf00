import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CarReader } from '@ipld/car'
import { CarWriter } from '@ipld/car/writer'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeArchive, encodeTransactionBlock } from '../../../src-main/lineage/archive/index.js'
import type { ImportReport } from '../../../src-main/lineage/import/index.js'
import type { TransactionRequest } from '../../../src-main/lineage/signing/index.js'
import { createBlockstore } from '../../../src-main/store/index.js'
import { ledgerReads } from '../../../src-main/lineage/tokens/index.js'
import { builtService } from '../../helpers/services.js'
import { ed25519Signer } from '../../helpers/signers.js'
import { startTestNode } from '../../helpers/test-node.js'
import type { TestNode } from '../../helpers/test-node.js'
import { tempDir } from '../../helpers/temp-dir.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
const ADDRESS = '0x00000000000000000000000000000000000000c1'

const headsOf = (node: TestNode): string[] => node.node.store.db.prepare('SELECT DISTINCT head_cid FROM slots ORDER BY head_cid').pluck().all() as string[]

async function importFile (node: TestNode, file: string): Promise<ImportReport> {
  const { importer } = node.node
  return await importer.run((await importer.create({ source: file })).job)
}

/** The tokenURI bytes and ETag of every token of a collection, as the gateway serves them. */
async function documents (node: TestNode, chain: string, address: string, ids: string[]): Promise<Record<string, { body: string, etag: string | null }>> {
  const out: Record<string, { body: string, etag: string | null }> = {}
  for (const id of ids) {
    const response = await fetch(`${node.base}/metadata/${chain}/${address}/${id}`)
    out[`${chain}/${address}/${id}`] = { body: await response.text(), etag: response.headers.get('etag') }
  }
  return out
}

/** A CAR file as @ipld/car writes it, from roots and blocks in order. */
async function carBytes (roots: CID[], blocks: Array<{ cid: CID, bytes: Uint8Array }>): Promise<Buffer> {
  const { writer, out } = CarWriter.create(roots)
  const chunks: Uint8Array[] = []
  const collecting = (async () => { for await (const chunk of out) chunks.push(chunk) })()
  for (const block of blocks) await writer.put(block)
  await writer.close()
  await collecting
  return Buffer.concat(chunks)
}

/** An unsigned LEB128 varint, as CAR files frame their sections. */
function varint (n: number): Buffer {
  const out: number[] = []
  for (; n >= 0x80; n = Math.floor(n / 0x80)) out.push((n % 0x80) | 0x80)
  out.push(n)
  return Buffer.from(out)
}

/** The length prefix a CAR file starts with: its header's size. */
function headerLength (car: Buffer): number {
  let n = 0
  for (let i = 0, shift = 1; ; i++, shift *= 0x80) {
    const byte = car[i] ?? 0
    n += (byte & 0x7f) * shift
    if ((byte & 0x80) === 0) return n
  }
}

/** One CAR section, written by hand: how a file gets a block no honest writer makes. */
function section (cid: CID, bytes: Uint8Array): Buffer {
  return Buffer.concat([varint(cid.bytes.length + bytes.length), cid.bytes, bytes])
}

describe('CAR import', () => {
  let out: { dir: string, cleanup: () => void }
  beforeAll(() => { out = tempDir() })
  afterAll(() => { out.cleanup() })

  it('restores a backup an earlier version wrote (fixture a20638f): same heads, tokenURI bytes and ETags', async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'legacy-export-a20638f.json'), 'utf8')) as { heads: string[], pin: string, transactions: number, metadata: Record<string, { body: string, etag: string }> }
    const node = await startTestNode()
    try {
      const report = await importFile(node, path.join(fixtures, 'legacy-export-a20638f.car'))
      expect(report.state).toBe('done')
      expect(report.rejected_count).toBe(0)
      expect(report.car?.transactions).toEqual({ total: expected.transactions, applied: expected.transactions, rejected: 0, known: 0, refused: [], refused_count: 0 })
      // The first layout listed every head and pin as a root, and nothing else about them.
      expect(report.car).toMatchObject({ root_count: expected.heads.length + 2, heads: { listed: 0 }, pins: { listed: 0 } })
      expect(headsOf(node)).toEqual(expected.heads)
      const a = await documents(node, '1', '0x00000000000000000000000000000000000000a1', ['1', '2', '3', '4', '5'])
      const b = await documents(node, '137', '0x00000000000000000000000000000000000000b2', ['10', '11'])
      expect({ ...a, ...b }).toEqual(expected.metadata)
      expect(createBlockstore(node.node.store, { transactionRows: ledgerReads }).hasSync(CID.parse(expected.pin))).toBe(true)
    } finally {
      await node.stop()
    }
  })

  it('restores a backup of the first layout whose header lists 2,600 heads (far over 64 KiB)', async () => {
    const source = await startTestNode()
    const target = await startTestNode()
    try {
      const signer = ed25519Signer()
      const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
      const requests: TransactionRequest[] = [await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' })]
      for (let id = 0; id < 2600; id++) requests.push(await signer.sign({ ...base, token_id: String(id), data: JSON.stringify({ name: `#${id}` }) }))
      for (let i = 0; i < requests.length; i += 500) source.node.lineage.publishBatch(requests.slice(i, i + 500))
      await source.node.lineage.settled()
      // What the exporter of a20638f wrote: the archive, then every head, as the header's roots.
      const transactions = requests.map(r => encodeTransactionBlock(r))
      const { root, pages } = encodeArchive(transactions.map(t => t.cid))
      const heads = headsOf(source).map(h => CID.parse(h))
      const blockstore = createBlockstore(source.node.store, { transactionRows: ledgerReads })
      const file = path.join(out.dir, 'legacy-large.car')
      fs.writeFileSync(file, await carBytes([root.cid, ...heads], [root, ...pages, ...transactions, ...heads.map(cid => ({ cid, bytes: blockstore.getSync(cid) as Uint8Array }))]))
      expect(headerLength(fs.readFileSync(file))).toBeGreaterThan(64 * 1024)

      const report = await importFile(target, file)
      expect(report.car?.transactions).toMatchObject({ total: 2601, applied: 2601, refused: [] })
      expect(report.car?.root_count).toBe(2601)
      expect(report.car?.roots).toHaveLength(100)
      expect(headsOf(target)).toEqual(headsOf(source))
    } finally {
      await source.stop()
      await target.stop()
    }
  }, 180_000)

  describe('a damaged or tampered file keeps every good entry', () => {
    let source: TestNode
    let backup: Buffer
    let single: { tx: CID, head: string }

    beforeAll(async () => {
      source = await startTestNode()
      const signer = ed25519Signer()
      const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
      const { lineage } = source.node
      lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
      for (let id = 1; id <= 20; id++) lineage.publish(await signer.sign({ ...base, token_id: String(id), data: JSON.stringify({ name: `#${id}`, description: 'x'.repeat(300) }) }))
      for (let id = 1; id <= 10; id++) lineage.publish(await signer.sign({ ...base, token_id: String(id), data: JSON.stringify({ name: `#${id}, revised`, description: 'y'.repeat(300) }) }))
      const last = await signer.sign({ ...base, token_id: '20', alias: 'only', data: '{"note":"written once"}' })
      lineage.publish(last)
      await lineage.settled()
      const file = path.join(out.dir, 'clean.car')
      await source.node.exporter.export({ path: file })
      backup = fs.readFileSync(file)
      single = { tx: encodeTransactionBlock(last).cid, head: source.node.store.db.prepare("SELECT head_cid FROM slots WHERE alias = 'only'").pluck().get() as string }
    })
    afterAll(async () => { await source.stop() })

    const blockOf = async (cid: CID): Promise<Uint8Array> => (await (await CarReader.fromBytes(backup)).get(cid))?.bytes ?? new Uint8Array()
    const flipped = (bytes: Uint8Array): Buffer => {
      const at = backup.indexOf(Buffer.from(bytes))
      expect(at).toBeGreaterThan(0)
      const copy = Buffer.from(backup)
      const middle = at + Math.floor(bytes.length / 2)
      copy[middle] = (copy[middle] ?? 0) ^ 0x01
      return copy
    }
    const restore = async (bytes: Buffer, name: string): Promise<{ report: ImportReport, heads: string[] }> => {
      const file = path.join(out.dir, name)
      fs.writeFileSync(file, bytes)
      const target = await startTestNode()
      try {
        const report = await importFile(target, file)
        return { report, heads: headsOf(target) }
      } finally {
        await target.stop()
      }
    }

    it('a version block whose bytes do not match its CID is refused by CID; the replay still writes it, so every head is restored', async () => {
      const versionCid = CID.parse(headsOf(source)[3] ?? '')
      const { report, heads } = await restore(flipped(await blockOf(versionCid)), 'flipped-version.car')
      expect(report.state).toBe('done')
      expect(report.car?.refused_blocks).toEqual([{ cid: versionCid.toString(), reason: 'its bytes do not match its CID (the file is damaged or forged)' }])
      expect(report.rejected).toEqual([{ item: `block ${versionCid.toString()}`, reason: 'its bytes do not match its CID (the file is damaged or forged)' }])
      expect(report.car?.transactions).toMatchObject({ total: 32, applied: 32, refused: [] })
      expect(heads).toEqual(headsOf(source))
    })

    it('a damaged transaction block is refused, and the report says which head it leaves behind', async () => {
      const { report, heads } = await restore(flipped(await blockOf(single.tx)), 'flipped-tx.car')
      expect(report.car?.refused_blocks.map(r => r.cid)).toEqual([single.tx.toString()])
      expect(report.car?.transactions).toMatchObject({ total: 32, applied: 31, refused: [{ cid: single.tx.toString(), reason: 'the transaction is not in the file' }] })
      expect(report.car?.heads).toEqual({ listed: 21, current: 20, not_current: [single.head] })
      expect(heads).toEqual(headsOf(source).filter(h => h !== single.head))
    })

    it('a file cut short keeps what came before the cut: the transactions come first, so a cut in the histories loses nothing', async () => {
      const firstHead = await blockOf(CID.parse(headsOf(source)[0] ?? ''))
      const cut = backup.indexOf(Buffer.from(firstHead)) + 10
      const { report, heads } = await restore(backup.subarray(0, cut), 'cut.car')
      expect(report.state).toBe('done')
      expect(report.car?.refused_blocks).toEqual([{ cid: '', reason: expect.stringMatching(/^the file is damaged after its first \d+ blocks, so the rest cannot be read/) }])
      expect(report.car?.transactions).toMatchObject({ total: 32, applied: 32 })
      expect(heads).toEqual(headsOf(source))
    })

    it('a block over the size limit and one with a hash Lineage cannot check are refused by CID; the rest go in', async () => {
      const big = new Uint8Array(1024 * 1024 + 1).fill(7)
      const bigCid = CID.createV1(raw.code, await sha256.digest(big))
      const sha3 = CID.createV1(raw.code, Digest.create(0x16, new Uint8Array(32).fill(1)))
      const { report, heads } = await restore(Buffer.concat([backup, section(bigCid, big), section(sha3, new Uint8Array([1, 2, 3]))]), 'odd-blocks.car')
      expect(report.car?.refused_blocks).toEqual([
        { cid: bigCid.toString(), reason: `the block is ${big.length} bytes, over the limit of 1048576 bytes` },
        { cid: sha3.toString(), reason: 'it uses hash function 0x16, which Lineage cannot verify (supported: sha2-256, sha2-512, identity)' },
      ])
      expect(report.car?.transactions).toMatchObject({ applied: 32 })
      expect(heads).toEqual(headsOf(source))
    })

    it('a file with no readable header fails as a whole, naming the problem, and stores nothing', async () => {
      const file = path.join(out.dir, 'not-a-car.car')
      fs.writeFileSync(file, 'name,description\n1,not a CAR at all\n')
      const target = await startTestNode()
      try {
        const before = target.node.store.db.prepare('SELECT count(*) FROM blocks').pluck().get()
        await expect(importFile(target, file)).rejects.toMatchObject({ name: 'InvalidCarError', message: expect.stringMatching(/^Not a valid CAR file: /) })
        expect(target.node.store.db.prepare('SELECT count(*) FROM blocks').pluck().get()).toBe(before)
      } finally {
        await target.stop()
      }
    })
  })

  it('a contract the node already runs under the same id with another module is refused by name; the collection is judged by this node\'s module', async () => {
    const source = await startTestNode()
    const target = await startTestNode()
    try {
      const token = `Bearer ${fs.readFileSync(path.join(source.node.config.dataDir, 'api-token'), 'utf8').trim()}`
      const deploy = async (node: TestNode, module: string): Promise<void> => {
        const auth = `Bearer ${fs.readFileSync(path.join(node.node.config.dataDir, 'api-token'), 'utf8').trim()}`
        const response = await fetch(`${node.base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'deploy_meta_contract', params: ['club', Buffer.from(builtService(module)).toString('base64')] }) })
        expect(((await response.json()) as { error?: unknown }).error).toBeUndefined()
      }
      expect(token).toMatch(/^Bearer /)
      await deploy(source, 'open')
      await deploy(target, 'erc721')
      const signer = ed25519Signer()
      const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'club', alias: '', version: 'v1', mcdata: '' } as const
      source.node.lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
      // The open module takes any JSON; erc721 refuses a document without the fields it checks.
      source.node.lineage.publish(await signer.sign({ ...base, token_id: '1', data: '{"image":42}' }))
      await source.node.lineage.settled()
      const file = path.join(out.dir, 'club.car')
      await source.node.exporter.export({ path: file })
      const report = await importFile(target, file)
      expect(report.car?.contracts).toMatchObject({ listed: 1, deployed: [], present: [], refused: [{ meta_contract_id: 'club', reason: expect.stringContaining('this node runs another module under that id') }] })
      expect(report.rejected.map(r => r.item)).toContain('contract club')
      expect(report.car?.transactions).toMatchObject({ total: 2, applied: 1, rejected: 1 })
    } finally {
      await source.stop()
      await target.stop()
    }
  })
})
