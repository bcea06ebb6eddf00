import crypto from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { Wallet, verifyMessage } from 'ethers'
import { describe, expect, it } from 'vitest'
import {
  UNSIGNED_FIELDS, encodeBase58, personalMessageHash, signingBytes, signingMessage, verifyTransactionSignature
} from '../../../src-main/lineage/signing/index.js'
import type { TransactionRequest, UnsignedTransactionRequest } from '../../../src-main/lineage/signing/index.js'
import {
  ED25519_PUBLIC_KEY, ED25519_PUBLIC_KEY_HEX, ED25519_REQUEST, ED25519_SEED_HEX, ED25519_SIGNATURE, EVM_ADDRESS, EVM_PRIVATE_KEY,
  EVM_REQUEST, EVM_SIGNATURE
} from './vectors.js'

const wallet = new Wallet(EVM_PRIVATE_KEY)
const seed = hexToBytes(ED25519_SEED_HEX)
const signEd = (request: UnsignedTransactionRequest): string => encodeBase58(ed25519.sign(signingBytes(request), seed))
const signEvm = async (request: UnsignedTransactionRequest): Promise<string> => await wallet.signMessage(signingMessage(request))

/** A different valid value for every field, each of which changes the transaction's effect. */
const OTHER: Record<typeof UNSIGNED_FIELDS[number], string | number> = {
  method: 'clone',
  chain_id: '137',
  token_address: '0x60e4d786628fea6478f785a6d7e704777c86a7c6',
  token_id: '43',
  meta_contract_id: 'open',
  alias: 'lore',
  version: 'v2',
  public_key: '',
  nonce: 'ffffffffffffffffffffffffffffffff',
  timestamp: 1764000000001,
  data: '{"name":"Ape #43"}',
  mcdata: '{"from":"x"}'
}
const OTHER_EVM_KEY = new Wallet(`0x${'22'.repeat(32)}`).address
const OTHER_ED25519_KEY = encodeBase58(ed25519.getPublicKey(new Uint8Array(32).fill(9)))

const invalid = (message: string): unknown => expect.objectContaining({ name: 'InvalidSignatureError', message: `The transaction signature is not valid: ${message}` })

describe('verifyTransactionSignature: EVM wallets (EIP-191 personal_sign)', () => {
  it('accepts ethers Wallet.signMessage of signingMessage and returns the lower-case address', async () => {
    const signature = await signEvm(EVM_REQUEST)
    expect(signature).toBe(EVM_SIGNATURE)
    expect(verifyTransactionSignature({ ...EVM_REQUEST, signature })).toEqual({ signer: EVM_ADDRESS.toLowerCase(), scheme: 'eip191' })
    expect(verifyMessage(signingMessage(EVM_REQUEST), signature)).toBe(EVM_ADDRESS)
  })

  it('accepts a lower-case or upper-case public_key and token_address, v as 0/1, and upper-case hex', () => {
    const lower = { ...EVM_REQUEST, public_key: EVM_ADDRESS.toLowerCase(), token_address: EVM_REQUEST.token_address.toLowerCase(), signature: EVM_SIGNATURE }
    expect(verifyTransactionSignature(lower).signer).toBe(EVM_ADDRESS.toLowerCase())
    // v 27/28 as the raw recovery bit 0/1
    const v0 = `${EVM_SIGNATURE.slice(0, -2)}${EVM_SIGNATURE.endsWith('1b') ? '00' : '01'}`
    expect(verifyTransactionSignature({ ...EVM_REQUEST, signature: v0 }).signer).toBe(EVM_ADDRESS.toLowerCase())
    expect(verifyTransactionSignature({ ...EVM_REQUEST, signature: `0x${EVM_SIGNATURE.slice(2).toUpperCase()}` }).scheme).toBe('eip191')
  })

  it('refuses malformed signatures, saying which check failed', () => {
    const check = (signature: string, message: string): void => {
      expect(() => verifyTransactionSignature({ ...EVM_REQUEST, signature })).toThrow(invalid(message) as Error)
    }
    check(EVM_SIGNATURE.slice(0, -2), 'an EVM signature is 0x followed by 130 hex digits (65 bytes r ‖ s ‖ v); this one has 128 digits.')
    check(`${EVM_SIGNATURE}00`, 'an EVM signature is 0x followed by 130 hex digits (65 bytes r ‖ s ‖ v); this one has 132 digits.')
    check(`0x${'zz'}${EVM_SIGNATURE.slice(4)}`, 'an EVM signature must be 0x followed by hex digits (r ‖ s ‖ v); this one contains other characters.')
    check(EVM_SIGNATURE.slice(2), 'an EVM signature must be 0x followed by hex digits (r ‖ s ‖ v); this one contains other characters.')
    check(`${EVM_SIGNATURE.slice(0, -2)}1d`, 'its recovery byte v is 29; it must be 27, 28, 0 or 1.')
    check(`0x${'00'.repeat(32)}${EVM_SIGNATURE.slice(66)}`, 'its r or s is zero or not below the secp256k1 group order.')
    check(`0x${'ff'.repeat(32)}${EVM_SIGNATURE.slice(66)}`, 'its r or s is zero or not below the secp256k1 group order.')
  })

  it('refuses the high-s twin of a valid signature (EIP-2), which recovers the same address', () => {
    const bytes = hexToBytes(EVM_SIGNATURE.slice(2))
    const s = BigInt(`0x${bytesToHex(bytes.subarray(32, 64))}`)
    const highS = secp256k1.Point.CURVE().n - s
    const v = bytes[64] === 27 ? 28 : 27
    const twin = `0x${bytesToHex(bytes.subarray(0, 32))}${highS.toString(16).padStart(64, '0')}${v.toString(16)}`
    // The twin is a mathematically valid signature by the same key: it recovers the same address.
    const rec = new secp256k1.Signature(BigInt(`0x${bytesToHex(bytes.subarray(0, 32))}`), highS, v - 27)
    expect(rec.hasHighS()).toBe(true)
    const recovered = rec.recoverPublicKey(personalMessageHash(signingBytes(EVM_REQUEST))).toBytes(false)
    expect(`0x${bytesToHex(keccak_256(recovered.subarray(1)).subarray(12))}`).toBe(EVM_ADDRESS.toLowerCase())
    expect(() => verifyTransactionSignature({ ...EVM_REQUEST, signature: twin })).toThrow(expect.objectContaining({
      name: 'InvalidSignatureError',
      message: 'The transaction signature is not valid: its s is in the upper half of the group order; such signatures are malleable and refused (EIP-2).'
    }))
  })

  it('refuses a signature by another wallet, naming both addresses', async () => {
    const other = new Wallet(`0x${'22'.repeat(32)}`)
    const signature = await other.signMessage(signingMessage(EVM_REQUEST))
    expect(() => verifyTransactionSignature({ ...EVM_REQUEST, signature })).toThrow(invalid(
      `it was made by ${other.address.toLowerCase()}, not by the public_key ${EVM_ADDRESS.toLowerCase()} (a different key, or a different text was signed).`
    ) as Error)
  })

  it('refuses a signature of the data alone (the original protocol\'s format)', async () => {
    const signature = await wallet.signMessage(EVM_REQUEST.data)
    expect(() => verifyTransactionSignature({ ...EVM_REQUEST, signature })).toThrow(expect.objectContaining({ name: 'InvalidSignatureError', message: expect.stringContaining('it was made by 0x') }))
  })
})

describe('verifyTransactionSignature: ed25519', () => {
  it('accepts a @noble ed25519 signature of signingBytes (pinned vector)', () => {
    const signature = signEd(ED25519_REQUEST)
    expect(signature).toBe(ED25519_SIGNATURE)
    expect(encodeBase58(hexToBytes(ED25519_PUBLIC_KEY_HEX))).toBe(ED25519_PUBLIC_KEY)
    expect(verifyTransactionSignature({ ...ED25519_REQUEST, signature })).toEqual({ signer: ED25519_PUBLIC_KEY, scheme: 'ed25519' })
  })

  it('agrees with node:crypto, an independent ed25519 implementation', () => {
    const privateKey = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed)]), format: 'der', type: 'pkcs8' })
    const nodeSignature = crypto.sign(null, Buffer.from(signingMessage(ED25519_REQUEST), 'utf8'), privateKey)
    expect(encodeBase58(nodeSignature)).toBe(ED25519_SIGNATURE)
    const publicDer = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
    expect(bytesToHex(publicDer.subarray(-32))).toBe(ED25519_PUBLIC_KEY_HEX)
  })

  it('refuses malformed signatures and keys, saying which check failed', () => {
    const check = (request: TransactionRequest, message: string): void => {
      expect(() => verifyTransactionSignature(request)).toThrow(invalid(message) as Error)
    }
    check({ ...ED25519_REQUEST, signature: `0${ED25519_SIGNATURE.slice(1)}` }, 'an ed25519 signature must be base58 (bitcoin alphabet, no prefix) of 64 bytes; this one is not base58 or is too long.')
    check({ ...ED25519_REQUEST, signature: EVM_SIGNATURE }, 'an ed25519 signature must be base58 (bitcoin alphabet, no prefix) of 64 bytes; this one is not base58 or is too long.')
    check({ ...ED25519_REQUEST, signature: encodeBase58(new Uint8Array(63).fill(1)) }, 'an ed25519 signature is 64 bytes; this one decodes to 63.')
    check({ ...ED25519_REQUEST, signature: encodeBase58(new Uint8Array(65).fill(1)) }, 'an ed25519 signature is 64 bytes; this one decodes to 65.')
    // An EVM signature on an ed25519 request, and the reverse.
    check({ ...EVM_REQUEST, signature: ED25519_SIGNATURE }, 'an EVM signature must be 0x followed by hex digits (r ‖ s ‖ v); this one contains other characters.')
  })

  it('refuses a non-canonical s (s + L), so a signature has exactly one valid encoding', () => {
    const bytes = ed25519.sign(signingBytes(ED25519_REQUEST), seed)
    const L = ed25519.Point.CURVE().n
    let s = 0n
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(bytes[i] ?? 0)
    let t = s + L
    const twin = Uint8Array.from(bytes)
    for (let i = 32; i < 64; i++) { twin[i] = Number(t & 0xffn); t >>= 8n }
    expect(() => verifyTransactionSignature({ ...ED25519_REQUEST, signature: encodeBase58(twin) })).toThrow(invalid('it does not match the signed text of this request for this public_key.') as Error)
  })

  it('refuses a 32-byte public_key that is not a curve point', () => {
    let key = new Uint8Array(32)
    for (let i = 2; ed25519.utils.isValidPublicKey(key, false); i++) key = new Uint8Array(32).fill(i)
    const request = { ...ED25519_REQUEST, public_key: encodeBase58(key), signature: ED25519_SIGNATURE }
    expect(() => verifyTransactionSignature(request)).toThrow(invalid('the public_key is not a point on the ed25519 curve.') as Error)
  })
})

describe.each([
  { scheme: 'eip191', base: EVM_REQUEST, otherKey: OTHER_EVM_KEY, sign: signEvm },
  { scheme: 'ed25519', base: ED25519_REQUEST, otherKey: OTHER_ED25519_KEY, sign: async (r: UnsignedTransactionRequest) => signEd(r) }
])('a $scheme signature covers every field', ({ base, otherKey, sign }) => {
  it('fails when any single field is changed', async () => {
    const signature = await sign(base)
    expect(verifyTransactionSignature({ ...base, signature }).signer).toBe(base.public_key.startsWith('0x') ? base.public_key.toLowerCase() : base.public_key)
    for (const field of UNSIGNED_FIELDS) {
      const value = field === 'public_key' ? otherKey : OTHER[field]
      expect(value, field).not.toBe(base[field])
      const tampered = { ...base, [field]: value, signature } as TransactionRequest
      expect(() => verifyTransactionSignature(tampered), field).toThrow(expect.objectContaining({ name: 'InvalidSignatureError' }))
    }
  })

  it('fails when the signature itself is changed by one byte', async () => {
    const signature = await sign(base)
    const bytes = signature.startsWith('0x') ? hexToBytes(signature.slice(2)) : ed25519Decode(signature)
    bytes[10] = (bytes[10] ?? 0) ^ 1
    const changed = signature.startsWith('0x') ? `0x${bytesToHex(bytes)}` : encodeBase58(bytes)
    expect(() => verifyTransactionSignature({ ...base, signature: changed })).toThrow(expect.objectContaining({ name: 'InvalidSignatureError' }))
  })

  it('cannot be replayed for another token, alias, version, contract, method, nonce or time', async () => {
    const signature = await sign(base)
    const replays: Array<Partial<UnsignedTransactionRequest>> = [
      { token_id: '43' }, { token_address: String(OTHER.token_address) }, { chain_id: '10' }, { alias: 'lore' }, { alias: '' },
      { version: 'v2' }, { meta_contract_id: 'open' }, { method: 'clone' }, { nonce: 'ffffffffffffffffffffffffffffffff' }, { timestamp: 1764000000001 }
    ]
    for (const change of replays) {
      expect(() => verifyTransactionSignature({ ...base, ...change, signature }), JSON.stringify(change)).toThrow(expect.objectContaining({ name: 'InvalidSignatureError' }))
    }
  })
})

function ed25519Decode (text: string): Uint8Array {
  // Decoded independently of the product's helper: base58 via BigInt.
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  let n = 0n
  for (const c of text) n = n * 58n + BigInt(alphabet.indexOf(c))
  const hex = n.toString(16).padStart(128, '0')
  return hexToBytes(hex)
}
