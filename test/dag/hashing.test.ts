import { describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'
import { identity } from 'multiformats/hashes/identity'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { encodeVersionBlock, verifyBlock } from '../../src-main/dag/index.js'
import { version } from './helpers.js'

const bytes = new TextEncoder().encode('hello lineage')

describe('verifyBlock', () => {
  it('accepts bytes that hash to the CID, with sha2-256, sha2-512 and identity', async () => {
    expect(verifyBlock(CID.createV1(raw.code, await sha256.digest(bytes)), bytes)).toBe(true)
    expect(verifyBlock(CID.createV1(raw.code, await sha512.digest(bytes)), bytes)).toBe(true)
    expect(verifyBlock(CID.createV1(raw.code, identity.digest(bytes)), bytes)).toBe(true)
    const { cid, bytes: block } = encodeVersionBlock(version(1))
    expect(verifyBlock(cid, block)).toBe(true)
  })

  it('rejects bytes with one bit flipped', async () => {
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    const flipped = Uint8Array.from(bytes)
    flipped[3] = (flipped[3] as number) ^ 0x01
    expect(verifyBlock(cid, flipped)).toBe(false)
    expect(verifyBlock(CID.createV1(raw.code, await sha512.digest(bytes)), flipped)).toBe(false)
  })

  it('refuses a hash function it cannot compute, naming it', () => {
    const sha3 = CID.createV1(raw.code, Digest.create(0x16, new Uint8Array(32)))
    expect(() => verifyBlock(sha3, bytes)).toThrowError(expect.objectContaining({
      name: 'UnsupportedHashError',
      code: 0x16,
      message: expect.stringContaining('0x16'),
    }))
  })
})
