/**
 * A slot read parses the content from the transaction's signed data instead of decoding the
 * version block (engine contentOf). For any JSON data, what it gives must be what decoding the
 * block gives: the same values and the same key order, or undefined (then the block is decoded).
 * The reference here is @ipld/dag-cbor itself, not the node's own writer. Seeded; the seed and
 * the failing value are printed by fast-check on failure.
 */
import * as dagCbor from '@ipld/dag-cbor'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contentFromData } from '../../src-main/dag/index.js'

const SEED = 170_017

function decoded (data: string): unknown {
  return dagCbor.decode(dagCbor.encode(JSON.parse(data)))
}

describe('content from the signed data', () => {
  it('equals the decoded block\'s content, keys in the same order, whenever it answers', () => {
    let answered = 0
    fc.assert(fc.property(fc.jsonValue(), value => {
      const data = JSON.stringify(value)
      const fast = contentFromData(data)
      if (fast === undefined) return
      answered++
      expect(JSON.stringify(fast)).toBe(JSON.stringify(decoded(data)))
      expect(fast).toEqual(decoded(data))
    }), { seed: SEED, numRuns: 3000 })
    // Not vacuous: over half of fast-check's values take the fast path (the rest hold a -0, a
    // huge integer, a lone surrogate or a __proto__ key, which the block's decoding answers).
    expect(answered).toBeGreaterThan(1500)
  })

  it('answers for metadata documents as creators write them, with integer-like keys and non-ASCII text', () => {
    const documents = [
      '{"name":"Print #1","description":"A print","image":"ipfs://bafy/1.png","attributes":[{"trait_type":"Edition","value":1},{"trait_type":"Size","value":12.5}]}',
      '{"zeta":1,"a":{"10":"x","2":"y","b":"z","aa":[true,false,null]},"é":"ü","😀":"smile 😀"}',
      '{ "spaced" : [ 1 , 2 ] , "name" : "dup" , "name" : "last wins" }',
      '"a string"', '42', '[1,2,3]', 'null',
    ]
    for (const data of documents) {
      const fast = contentFromData(data)
      expect(fast).toBeDefined()
      expect(JSON.stringify(fast)).toBe(JSON.stringify(decoded(data)))
    }
  })

  it('declines what a dag-cbor round trip would change or refuse, and text that is not JSON', () => {
    for (const data of ['-0', '{"a":[-0]}', '9007199254740993', '1e300', '"\\ud800"', '{"\\udc00":1}', '{"__proto__":{"x":1}}', '{"a":', '']) {
      expect(contentFromData(data)).toBeUndefined()
    }
  })
})
