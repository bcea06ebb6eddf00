import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { decodeVersionBlock, encodeVersionBlock } from '../../src-main/dag/index.js'
import type { VersionBlock } from '../../src-main/dag/index.js'
import { version } from './helpers.js'

/**
 * The fixed vector: a first version with values chosen once and never changed. Its CID was
 * cross-checked outside JavaScript, with a hand-written canonical CBOR encoder and hashlib.
 */
const VECTOR: VersionBlock = {
  timestamp: 0,
  content: { name: 'a' },
  transaction: { hash: '0x01', timestamp: 0, meta_contract_id: 'open', method: 'metadata', value: '{"name":"a"}' },
}
const VECTOR_CID = 'bafyreid26awuurj3ksvsfpfx6huv4ghbseug6ena5x2lhgkzm2426uobfu'

const invalid = (block: unknown): Uint8Array => dagCbor.encode(block)

describe('version blocks', () => {
  it('encode to dag-cbor addressed by CIDv1 sha2-256, as an independent computation does', async () => {
    const first = version(1)
    const { cid, bytes } = encodeVersionBlock(first)
    const expectedBytes = dagCbor.encode({ timestamp: first.timestamp, content: first.content, transaction: first.transaction })
    const expectedCid = CID.createV1(dagCbor.code, await sha256.digest(expectedBytes))
    expect(cid.toString()).toMatch(/^bafyrei/)
    expect(cid.toString()).toBe(expectedCid.toString())
    expect(bytes).toEqual(new Uint8Array(expectedBytes))

    const second = encodeVersionBlock(version(2, { previous: cid }))
    const independent = CID.createV1(dagCbor.code, await sha256.digest(dagCbor.encode({ ...version(2), previous: cid })))
    expect(second.cid.toString()).toBe(independent.toString())
  })

  it('pins the fixed vector to its CID', () => {
    expect(encodeVersionBlock(VECTOR).cid.toString()).toBe(VECTOR_CID)
  })

  it('round-trips, with the previous link as a CID', () => {
    const head = encodeVersionBlock(version(1))
    const next = version(2, { previous: head.cid })
    const decoded = decodeVersionBlock(encodeVersionBlock(next).bytes)
    expect(decoded).toEqual(next)
    expect(decoded.previous?.equals(head.cid)).toBe(true)
    expect('previous' in decodeVersionBlock(head.bytes)).toBe(false)
  })

  it('round-trips JSON content: floats, large and negative numbers, nulls, nesting, unicode', () => {
    const text = '{"price":0.1,"ratio":-2.5e-8,"big":12345678901234567890,"max":9007199254740991,"tiny":5e-324,' +
      '"huge":1e300,"neg":-42,"none":null,"list":[1,2.5,null,true,"x",{"deep":[[]]}],"emoji":"🦊","empty":{}}'
    const content = JSON.parse(text) as VersionBlock['content']
    const decoded = decodeVersionBlock(encodeVersionBlock(version(1, { content })).bytes)
    expect(decoded.content).toEqual(content)
    const numbers = decoded.content as Record<string, number>
    expect(numbers.price).toBe(0.1)
    expect(numbers.big).toBe(Number('12345678901234567890')) // already rounded by JSON.parse; kept as that double
    expect(numbers.tiny).toBe(5e-324)
    expect(numbers.huge).toBe(1e300)
    expect(numbers.ratio).toBe(-2.5e-8)
    expect(numbers.max).toBe(Number.MAX_SAFE_INTEGER)
    expect((decoded.content as Record<string, unknown>).none).toBeNull()
  })

  it('stores object keys in dag-cbor canonical order, which JSON readers treat as the same object', () => {
    const decoded = decodeVersionBlock(encodeVersionBlock(version(1, { content: { zeta: 1, a: 2, mid: 3 } })).bytes)
    expect(Object.keys(decoded.content as object)).toEqual(['a', 'mid', 'zeta'])
  })

  it('gives the same CID for the same content whatever the key order', () => {
    const one = encodeVersionBlock(version(1, { content: { a: 1, b: 2 } }))
    const two = encodeVersionBlock(version(1, { content: { b: 2, a: 1 } }))
    expect(one.cid.equals(two.cid)).toBe(true)
  })

  it('refuses content JSON cannot hold, naming the path', () => {
    const cases: Array<[unknown, string]> = [
      [{ a: undefined }, 'content.a'],
      [{ list: [1, Number.NaN] }, 'content.list[1]'],
      [{ n: Infinity }, 'content.n'],
      [{ id: 10n ** 20n }, 'content.id'],
      [{ bytes: new Uint8Array(2) }, 'content.bytes'],
      [{ when: new Date(0) }, 'content.when'],
    ]
    for (const [content, field] of cases) {
      expect(() => encodeVersionBlock(version(1, { content: content as VersionBlock['content'] })))
        .toThrowError(expect.objectContaining({ name: 'InvalidVersionBlockError', field }))
    }
  })

  it('refuses content nested deeper than the limit', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 100; i++) deep = [deep]
    expect(() => encodeVersionBlock(version(1, { content: deep as VersionBlock['content'] })))
      .toThrowError(expect.objectContaining({ name: 'InvalidVersionBlockError', message: expect.stringContaining('deeper than 64') }))
  })

  it('decode rejects wrong shapes, naming the field', () => {
    const good = { ...version(1) } as Record<string, unknown>
    const tx = version(1).transaction as unknown as Record<string, unknown>
    const rawCid = CID.parse('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array([0xff, 0x00]), 'block'],
      [invalid([1, 2]), 'block'],
      [invalid({ ...good, timestamp: '2024' }), 'timestamp'],
      [invalid({ ...good, timestamp: -1 }), 'timestamp'],
      [invalid({ ...good, timestamp: 1.5 }), 'timestamp'],
      [invalid({ timestamp: 1, transaction: tx }), 'content'],
      [invalid({ ...good, previous: 'bafyrei' }), 'previous'],
      [invalid({ ...good, previous: rawCid }), 'previous'],
      [invalid({ ...good, transaction: 'tx' }), 'transaction'],
      [invalid({ ...good, transaction: { ...tx, hash: 7 } }), 'transaction.hash'],
      [invalid({ ...good, transaction: { ...tx, method: null } }), 'transaction.method'],
      [invalid({ ...good, transaction: { ...tx, timestamp: 'now' } }), 'transaction.timestamp'],
      [invalid({ ...good, transaction: { ...tx, extra: 1 } }), 'transaction.extra'],
      [invalid({ ...good, extra: true }), 'extra'],
      [invalid({ ...good, content: { id: 2n ** 60n } }), 'content.id'],
      [invalid({ ...good, content: { link: rawCid } }), 'content.link'],
    ]
    expect(() => decodeVersionBlock(invalid({ ...good, content: { link: rawCid } }))).toThrowError('content.link is a link (CID)')
    for (const [bytes, field] of cases) {
      expect(() => decodeVersionBlock(bytes), field).toThrowError(expect.objectContaining({
        name: 'InvalidVersionBlockError',
        field,
        message: expect.stringContaining(field),
      }))
    }
    const withoutTransaction = { ...good }
    delete withoutTransaction.transaction
    expect(() => decodeVersionBlock(invalid(withoutTransaction))).toThrowError(expect.objectContaining({ field: 'transaction' }))
  })
})
