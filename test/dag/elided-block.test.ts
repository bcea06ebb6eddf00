import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { elideTransactionData, encodeVersionBlock, restoreTransactionData, verifyBlock, versionBlockHash } from '../../src-main/dag/index.js'
import type { JsonValue } from '../../src-main/dag/index.js'

const HASH = 'e86afea80cd3fd4386d8df7ac1b4727bdf00e2f2a2572c4eea972cec3c725c6d'
const PREVIOUS = CID.parse('bafyreialrmb4kwap6n6zkstl4v2knxkm4dqhrk5zano5eswqakbifpc3qe')

/** A version block as the validator writes it for a transaction carrying `data`. */
function versionBlock (data: string, content: JsonValue = JSON.parse(data) as JsonValue, previous?: CID): { cid: CID, bytes: Uint8Array } {
  return encodeVersionBlock({
    timestamp: 1796611480045,
    content,
    ...(previous === undefined ? {} : { previous }),
    transaction: { hash: HASH, timestamp: 1796611480045, meta_contract_id: 'erc721', method: 'metadata', value: data },
  })
}

/** Rebuilds an elided block from the one transaction row it may name. */
function restore (elided: NonNullable<ReturnType<typeof elideTransactionData>>, data: string): Uint8Array {
  return restoreTransactionData(elided, hash => {
    expect(hash).toBe(HASH)
    return data
  })
}

describe('version blocks stored without their transaction\'s data', () => {
  const cases: Array<[string, string]> = [
    ['a short document (one-byte text header)', '{"a":1}'],
    ['a typical document (two-byte text header), keys in another order than dag-cbor sorts them', JSON.stringify({ name: 'Doodle #7', description: 'x'.repeat(120), attributes: [{ trait_type: 'face', value: 'grin' }] })],
    ['a document over 255 bytes, with characters outside ASCII', JSON.stringify({ name: 'Ünïcödé ✓ 🐸', description: 'é'.repeat(300) })],
  ]
  for (const [what, data] of cases) {
    it(`keeps ${what} once, in the row, and rebuilds the block byte for byte, with and without a previous version`, () => {
      for (const previous of [undefined, PREVIOUS]) {
        const block = versionBlock(data, JSON.parse(data) as JsonValue, previous)
        const elided = elideTransactionData(block.bytes, HASH, data)
        expect(elided).toBeDefined()
        if (elided === undefined) return
        expect(elided.content).toBe(true)
        // Both copies are gone: the text, and the content (the same JSON as dag-cbor).
        expect(elided.bytes.byteLength).toBeLessThan(block.bytes.byteLength - Buffer.byteLength(data))
        const back = restore(elided, data)
        expect(Buffer.from(back).equals(Buffer.from(block.bytes))).toBe(true)
        expect(verifyBlock(block.cid, back)).toBe(true)
        expect(versionBlockHash(block.bytes)).toBe(HASH)
      }
    })
  }

  it('takes out only the text when the contract wrote another content than the data', () => {
    const data = '{"name":"asked"}'
    const block = versionBlock(data, { name: 'written' }, PREVIOUS)
    const elided = elideTransactionData(block.bytes, HASH, data)
    expect(elided?.content).toBe(false)
    expect(elided?.bytes.byteLength).toBe(block.bytes.byteLength - Buffer.byteLength(data))
    if (elided !== undefined) expect(Buffer.from(restore(elided, data)).equals(Buffer.from(block.bytes))).toBe(true)
  })

  it('takes out only the text when the data is not JSON', () => {
    const data = 'not json at all'
    const block = versionBlock(data, 'not json at all')
    const elided = elideTransactionData(block.bytes, HASH, data)
    expect(elided?.content).toBe(false)
    if (elided !== undefined) expect(Buffer.from(restore(elided, data)).equals(Buffer.from(block.bytes))).toBe(true)
  })

  it('leaves whole a block that is not of that transaction, or does not carry that data', () => {
    const data = '{"a":1}'
    const block = versionBlock(data)
    expect(elideTransactionData(block.bytes, HASH.replace('e8', 'f8'), data)).toBeUndefined()
    expect(elideTransactionData(block.bytes, HASH, '{"a":2}')).toBeUndefined()
    expect(elideTransactionData(block.bytes, HASH, '{"a":1} ')).toBeUndefined()
    expect(elideTransactionData(new TextEncoder().encode('raw bytes'), HASH, data)).toBeUndefined()
    expect(versionBlockHash(new TextEncoder().encode('raw bytes'))).toBeUndefined()
  })

  it('refuses to rebuild from data of another length than the block kept room for', () => {
    const data = '{"a":1}'
    const elided = elideTransactionData(versionBlock(data).bytes, HASH, data)
    expect(elided).toBeDefined()
    if (elided !== undefined) expect(() => restoreTransactionData(elided, () => '{"a":10}')).toThrow(/is 8 bytes, the block keeps room for 7/)
  })
})
