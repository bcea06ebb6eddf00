// EVM signatures are made by libsecp256k1 (tiny-secp256k1) for speed; these hold them, byte for
// byte, to noble's (the library every verification here uses) and to ethers, which a creator's
// wallet would have used: the same RFC 6979 signature, low s, v 27 or 28, recovering to the key's
// address. Seeded, so a failure names its case again.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { Wallet } from 'ethers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addressFromPrivateKey, personalMessageHash, recoverPersonalSigner, signPersonalMessage } from '../../../src-main/lineage/signing/index.js'

const SEED = 1707
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** A valid secp256k1 private key: 32 bytes, not 0, below the group order. */
const privateKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter(k => secp256k1.utils.isValidSecretKey(k))

describe('signPersonalMessage (libsecp256k1)', () => {
  it('gives noble\'s signature byte for byte, which recovers to the key\'s address', () => {
    fc.assert(fc.property(privateKey, fc.uint8Array({ maxLength: 600 }), (key, message) => {
      const signature = signPersonalMessage(message, key)
      const noble = secp256k1.sign(personalMessageHash(message), key, { prehash: false, format: 'recovered' })
      expect(signature.length).toBe(65)
      expect(hex(signature.subarray(0, 64))).toBe(hex(noble.subarray(1)))
      expect(signature[64]).toBe(27 + (noble[0] ?? 0))
      expect(recoverPersonalSigner(message, `0x${hex(signature)}`)).toBe(addressFromPrivateKey(key))
    }), { seed: SEED, numRuns: 300 })
  })

  it('gives what ethers\' signMessage gives for the same key and text', async () => {
    const keys = fc.sample(privateKey, { seed: SEED, numRuns: 5 })
    for (const [i, key] of keys.entries()) {
      const text = `Lineage transaction ${i}: {"name":"Doodle #${i}"} ✓`
      expect(`0x${hex(signPersonalMessage(new TextEncoder().encode(text), key))}`).toBe(await new Wallet(`0x${hex(key)}`).signMessage(text))
    }
  })
})
