import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeVersionBlock } from '../../../src-main/dag/index.js'
import type { ImportReport } from '../../../src-main/lineage/import/index.js'
import { ed25519Signer } from '../../helpers/signers.js'
import { startTestNode } from '../../helpers/test-node.js'
import type { TestNode } from '../../helpers/test-node.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { createImportRig } from './setup.js'

const ADDRESS = '0x00000000000000000000000000000000000000f5'
/** sha2-256 multihash prefix (code 0x12, 32 bytes): every block the exporter writes uses it. */
const SHA256_PREFIX = Buffer.from([0x12, 0x20])

/** The length prefix a CAR file starts with, and the bytes it takes: the header ends after both. */
function headerEnd (car: Buffer): number {
  let n = 0
  let i = 0
  for (let shift = 1; ; i++, shift *= 0x80) {
    const byte = car[i] ?? 0
    n += (byte & 0x7f) * shift
    if ((byte & 0x80) === 0) break
  }
  return i + 1 + n
}

type Damage =
  | { kind: 'flip', at: number, bit: number }
  | { kind: 'cut', at: number }
  | { kind: 'append', bytes: Uint8Array }

function damaged (car: Buffer, damages: Damage[]): Buffer {
  let bytes = Buffer.from(car)
  for (const d of damages) {
    if (d.kind === 'flip') {
      const at = d.at % bytes.length
      bytes[at] = (bytes[at] ?? 0) ^ (1 << d.bit)
    } else if (d.kind === 'cut') {
      bytes = bytes.subarray(0, d.at % (bytes.length + 1))
    } else {
      bytes = Buffer.concat([bytes, d.bytes])
    }
  }
  return bytes
}

describe('CAR import of a damaged backup (fast-check, seeded)', () => {
  let source: TestNode
  let out: { dir: string, cleanup: () => void }
  let backup: Buffer
  /** Every transaction the source applied: a restored head can only hold what one of them wrote. */
  let applied: Set<string>
  let transactions: number

  beforeAll(async () => {
    out = tempDir()
    source = await startTestNode()
    const signer = ed25519Signer()
    const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
    source.node.lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
    for (let id = 0; id < 12; id++) source.node.lineage.publish(await signer.sign({ ...base, token_id: String(id), data: JSON.stringify({ name: `#${id}` }) }))
    for (let id = 0; id < 12; id += 3) source.node.lineage.publish(await signer.sign({ ...base, token_id: String(id), data: JSON.stringify({ name: `#${id}, again` }) }))
    await source.node.lineage.settled()
    const file = path.join(out.dir, 'backup.car')
    const exported = await source.node.exporter.export({ path: file })
    transactions = exported.transactions
    backup = fs.readFileSync(file)
    applied = new Set(source.node.store.db.prepare("SELECT hash FROM receipts WHERE status = 'applied'").pluck().all() as string[])
  })
  afterAll(async () => {
    await source.stop()
    out.cleanup()
  })

  it('keeps every good entry, stores only blocks that match their CIDs, names every refusal, and never writes a version the source did not', async () => {
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
    )
    let runs = 0
    await fc.assert(fc.asyncProperty(fc.array(damage, { minLength: 0, maxLength: 3 }), async damages => {
      const file = path.join(out.dir, `damaged-${runs++}.car`)
      const bytes = damaged(backup, damages)
      fs.writeFileSync(file, bytes)
      const rig = await createImportRig()
      try {
        let report: ImportReport
        try {
          report = await rig.importer.run((await rig.importer.create({ source: file })).job)
        } catch (err) {
          // Only a file whose header cannot be read fails as a whole, and then it stores nothing.
          expect(err).toMatchObject({ name: 'InvalidCarError', message: expect.stringMatching(/^Not a valid CAR file: /) })
          const end = headerEnd(backup)
          expect(bytes.length >= end && bytes.subarray(0, end).equals(backup.subarray(0, end))).toBe(false)
          expect(rig.count('SELECT count(*) AS n FROM blocks')).toBe(0)
          return
        }
        expect(report.state).toBe('done')
        const car = report.car
        if (car === undefined) throw new Error('a CAR import reports its summary')
        // Every stored block, as the blockstore gives it (a version block stored without its
        // transaction's copies is rebuilt from the row), hashes to its CID.
        for await (const { cid, bytes } of rig.blockstore.getAll()) {
          expect(Buffer.from(cid.multihash.bytes.subarray(0, 2)).equals(SHA256_PREFIX)).toBe(true)
          for await (const chunk of bytes) expect(createHash('sha256').update(chunk).digest().equals(cid.multihash.digest)).toBe(true)
        }
        // Every refusal names its entry and says why, in plain text.
        for (const r of report.rejected) {
          expect(r.item).toMatch(/^(block bafy\w+|the file|transaction bafy\w+|transaction \S+)$/)
          expect(r.reason.length).toBeGreaterThan(10)
          expect(r.reason).not.toMatch(/[\p{Cc}]/u)
        }
        const t = car.transactions
        expect(t.applied + t.rejected + t.known + t.refused_count).toBe(t.total)
        // The archive's count, or nothing at all when its root was damaged.
        expect([0, transactions]).toContain(t.total)
        // Damage can lose versions (a later one then has no previous), never forge one: every head
        // holds what a transaction the source applied wrote.
        for (const head of rig.store.db.prepare('SELECT head_cid FROM slots').pluck().all() as string[]) {
          const block = rig.blockstore.getSync(CID.parse(head))
          expect(applied.has(decodeVersionBlock(block ?? new Uint8Array()).transaction.hash)).toBe(true)
        }
        expect(car.heads.current).toBe(car.heads.listed - Math.min(car.heads.not_current.length, car.heads.listed))
        if (damages.length === 0 || damages.every(d => d.kind === 'append')) {
          expect(t).toMatchObject({ total: transactions, applied: transactions })
          expect(car.heads.current).toBe(car.heads.listed)
        }
      } finally {
        await rig.close()
      }
    }), { seed: 1414, numRuns: 40 })
  }, 300_000)
})
