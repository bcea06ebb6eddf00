import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { decodeVersionBlock, elideTransaction, encodeVersionBlock, restoreTransaction, storedContent, verifyBlock, versionBlockHash } from '../../src-main/dag/index.js'
import type { JsonValue, TransactionFields } from '../../src-main/dag/index.js'

const HASH = 'e86afea80cd3fd4386d8df7ac1b4727bdf00e2f2a2572c4eea972cec3c725c6d'
const PREVIOUS = CID.parse('bafyreialrmb4kwap6n6zkstl4v2knxkm4dqhrk5zano5eswqakbifpc3qe')

/** The transaction's row, as far as a version block copies it. */
const row = (data: string): TransactionFields => ({ hash: HASH, timestamp: 1796611480045, meta_contract_id: 'erc721', method: 'metadata', data })

/** A version block as the validator writes it for the transaction `tx`. */
function versionBlock (tx: TransactionFields, content: JsonValue = JSON.parse(tx.data) as JsonValue, previous?: CID): { cid: CID, bytes: Uint8Array } {
  const { data, ...rest } = tx
  return encodeVersionBlock({
    timestamp: tx.timestamp,
    content,
    ...(previous === undefined ? {} : { previous }),
    transaction: { ...rest, value: data },
  })
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b))

describe('version blocks stored without their transaction\'s copies', () => {
  const cases: Array<[string, string]> = [
    ['a short document', '{"a":1}'],
    ['a typical document, keys in another order than dag-cbor sorts them', JSON.stringify({ name: 'Doodle #7', description: 'x'.repeat(120), attributes: [{ trait_type: 'face', value: 'grin' }] })],
    ['a document over 255 bytes, with characters outside ASCII', JSON.stringify({ name: 'Ünïcödé ✓ 🐸', description: 'é'.repeat(300), n: 1.5 })],
  ]
  for (const [what, data] of cases) {
    it(`keeps ${what} once, in the row, and rebuilds the block byte for byte, with and without a previous version`, () => {
      for (const previous of [undefined, PREVIOUS]) {
        const tx = row(data)
        const block = versionBlock(tx, JSON.parse(data) as JsonValue, previous)
        const elided = elideTransaction(block.bytes, tx)
        expect(elided?.content).toBe(true)
        if (elided === undefined) return
        // Both copies are gone (the data as text and as content), and the rest of the transaction map.
        expect(elided.bytes.byteLength).toBeLessThan(block.bytes.byteLength - 2 * Buffer.byteLength(data) + 60)
        // Left: the map header, the keys content, timestamp and transaction, the timestamp and the link.
        expect(elided.bytes.byteLength).toBeLessThanOrEqual(previous === undefined ? 40 : 90)
        const back = restoreTransaction(elided, tx)
        expect(same(back, block.bytes)).toBe(true)
        expect(verifyBlock(block.cid, back)).toBe(true)
        expect(versionBlockHash(block.bytes)).toBe(HASH)
      }
    })
  }

  it('keeps the content when the contract wrote another one than the data', () => {
    const tx = row('{"name":"asked"}')
    const block = versionBlock(tx, { name: 'written' }, PREVIOUS)
    const elided = elideTransaction(block.bytes, tx)
    expect(elided?.content).toBe(false)
    if (elided !== undefined) expect(same(restoreTransaction(elided, tx), block.bytes)).toBe(true)
  })

  it('reads a kept content alone, as the whole block decodes it; nothing when the content was taken out', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (written, linked) => {
      const tx = row('{"name":"asked"}')
      const content = JSON.parse(JSON.stringify(written) ?? 'null') as JsonValue
      const block = versionBlock(tx, content, linked ? PREVIOUS : undefined)
      const elided = elideTransaction(block.bytes, tx)
      if (elided === undefined) return
      expect(storedContent(elided)).toEqual(elided.content ? undefined : decodeVersionBlock(block.bytes).content)
    }), { seed: 27, numRuns: 300 })
    // Bytes that are not a version map are left to the whole-block read.
    expect(storedContent({ bytes: new Uint8Array([0xa2, 0x61, 0x61, 0x01]), content: false })).toBeUndefined()
  })

  it('keeps the content when the data is not JSON', () => {
    const tx = row('not json at all')
    const block = versionBlock(tx, 'not json at all')
    const elided = elideTransaction(block.bytes, tx)
    expect(elided?.content).toBe(false)
    if (elided !== undefined) expect(same(restoreTransaction(elided, tx), block.bytes)).toBe(true)
  })

  it('leaves whole a block that is not of that transaction, or not as its row says', () => {
    const tx = row('{"a":1}')
    const block = versionBlock(tx)
    expect(elideTransaction(block.bytes, { ...tx, hash: HASH.replace('e8', 'f8') })).toBeUndefined()
    expect(elideTransaction(block.bytes, { ...tx, data: '{"a":2}' })).toBeUndefined()
    expect(elideTransaction(block.bytes, { ...tx, data: '{"a":1} ' })).toBeUndefined()
    expect(elideTransaction(block.bytes, { ...tx, timestamp: tx.timestamp + 1 })).toBeUndefined()
    expect(elideTransaction(block.bytes, { ...tx, method: 'clone' })).toBeUndefined()
    expect(elideTransaction(new TextEncoder().encode('raw bytes'), tx)).toBeUndefined()
    expect(versionBlockHash(new TextEncoder().encode('raw bytes'))).toBeUndefined()
  })

  it('cannot rebuild content from a row whose data is not JSON', () => {
    const tx = row('{"a":1}')
    const elided = elideTransaction(versionBlock(tx).bytes, tx)
    expect(elided).toBeDefined()
    if (elided !== undefined) expect(() => restoreTransaction(elided, { ...tx, data: 'oops' })).toThrow(/is not JSON/)
  })
})

describe('eliding never changes what a block rebuilds to (property)', () => {
  it('for any JSON data and any content, an elided block rebuilds byte for byte to the block it came from', () => {
    const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>
    fc.assert(fc.property(json, json, fc.boolean(), fc.boolean(), (data, other, useData, withPrevious) => {
      const tx = row(JSON.stringify(data))
      // The contract wrote the data itself (its content is then elided too) or something else.
      const block = versionBlock(tx, useData ? JSON.parse(tx.data) as JsonValue : other, withPrevious ? PREVIOUS : undefined)
      const elided = elideTransaction(block.bytes, tx)
      expect(elided).toBeDefined()
      if (elided === undefined) return
      expect(same(restoreTransaction(elided, tx), block.bytes)).toBe(true)
      // Of another transaction's row, the same block is never taken apart.
      expect(elideTransaction(block.bytes, { ...tx, timestamp: tx.timestamp + 1 })).toBeUndefined()
    }), { numRuns: 400, seed: 17 })
  })
})
