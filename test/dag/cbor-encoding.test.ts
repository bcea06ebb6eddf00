import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { encodeDagCborJson } from '../../src-main/dag/cbor-encoding.js'
import { createRandom } from '../services/lib/random.js'

/** A deterministic pseudo-random source, so a failure names a case that can be run again. */
const random = createRandom

/** Characters that exercise every UTF-8 length and the orderings where UTF-16 and UTF-8 disagree. */
const CHARS = ['a', 'b', 'Z', '0', ' ', '"', '\n', 'é', 'ß', '€', '中', '\uffff', '\ue000', '😀', '𝄞', '\ud800', '\u0000']
const NUMBERS = [0, -0, 1, -1, 23, 24, -24, -25, 255, 256, 65535, 65536, -65537, 2 ** 32 - 1, 2 ** 32, -(2 ** 32) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53, 1e21, 0.5, -1.25, 3.141592653589793, 1e-7, 5e-324, 1.7976931348623157e308]

function text (next: () => number, max: number): string {
  let s = ''
  const length = Math.floor(next() * max)
  for (let i = 0; i < length; i++) s += CHARS[Math.floor(next() * CHARS.length)]
  return s
}

function json (next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 3 ? 5 : 7))
  switch (kind) {
    case 0: return null
    case 1: return next() < 0.5
    case 2: return NUMBERS[Math.floor(next() * NUMBERS.length)]
    case 3: return (next() - 0.5) * 10 ** Math.floor(next() * 20)
    case 4: return text(next, next() < 0.9 ? 12 : 300)
    case 5: return Array.from({ length: Math.floor(next() * 6) }, () => json(next, depth + 1))
    default: {
      const object: Record<string, unknown> = {}
      const size = Math.floor(next() * (next() < 0.95 ? 8 : 40))
      for (let i = 0; i < size; i++) object[text(next, 6)] = json(next, depth + 1)
      return object
    }
  }
}

describe('encodeDagCborJson', () => {
  it('writes the bytes @ipld/dag-cbor writes, for 3,000 random JSON values', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const value = json(random(seed), 0)
      expect(encodeDagCborJson(value), `seed ${seed}`).toEqual(new Uint8Array(dagCbor.encode(value)))
    }
  })

  it('writes links, long strings and big collections as @ipld/dag-cbor does', async () => {
    const cid = CID.createV1(dagCbor.code, await sha256.digest(new Uint8Array([1, 2, 3])))
    const values: unknown[] = [
      { previous: cid, list: [cid, { '/': 'not a link' }] },
      'x'.repeat(70_000),
      Array.from({ length: 300 }, (_, i) => i),
      Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i % 2 === 0])),
      {},
      [],
      '',
    ]
    for (const value of values) expect(encodeDagCborJson(value)).toEqual(new Uint8Array(dagCbor.encode(value)))
  })

  it('refuses what JSON data cannot hold', () => {
    for (const value of [Number.NaN, Infinity, -Infinity, undefined, 1n, new Uint8Array(1), new Map(), () => {}, [undefined]]) {
      expect(() => encodeDagCborJson(value)).toThrow(TypeError)
    }
  })
})
