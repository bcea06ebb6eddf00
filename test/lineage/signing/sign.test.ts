import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { hashMessage, verifyMessage } from 'ethers'
import { describe, expect, it } from 'vitest'
import { createSigner } from '../../../src-main/lineage/keys/index.js'
import {
  personalMessageHash, signTransaction, signingBytes, signingMessage, toChecksumAddress, verifyTransactionSignature
} from '../../../src-main/lineage/signing/index.js'
import {
  ED25519_PUBLIC_KEY, ED25519_REQUEST, ED25519_SEED_HEX, ED25519_SIGNATURE, EVM_ADDRESS, EVM_PRIVATE_KEY, EVM_REQUEST, EVM_SIGNATURE
} from './vectors.js'

describe('signTransaction', () => {
  it('signs with an EVM key exactly as ethers signMessage does (RFC 6979, low s, v 27/28)', () => {
    const signer = createSigner('studio', 'secp256k1', hexToBytes(EVM_PRIVATE_KEY.slice(2)))
    expect(signer.publicKey).toBe(EVM_ADDRESS.toLowerCase())
    const signature = signTransaction(EVM_REQUEST, signer)
    expect(signature).toBe(EVM_SIGNATURE)
    expect(verifyMessage(signingMessage(EVM_REQUEST), signature)).toBe(EVM_ADDRESS)
    expect(verifyTransactionSignature({ ...EVM_REQUEST, signature })).toEqual({ signer: EVM_ADDRESS.toLowerCase(), scheme: 'eip191' })
  })

  it('signs with an ed25519 key (pinned vector)', () => {
    const signer = createSigner('studio-ed', 'ed25519', hexToBytes(ED25519_SEED_HEX))
    expect(signer.publicKey).toBe(ED25519_PUBLIC_KEY)
    const signature = signTransaction(ED25519_REQUEST, signer)
    expect(signature).toBe(ED25519_SIGNATURE)
    expect(verifyTransactionSignature({ ...ED25519_REQUEST, signature })).toEqual({ signer: ED25519_PUBLIC_KEY, scheme: 'ed25519' })
  })

  it('refuses to sign a request whose public_key is another key', () => {
    const signer = createSigner('studio', 'secp256k1', hexToBytes(EVM_PRIVATE_KEY.slice(2)))
    expect(() => signTransaction(ED25519_REQUEST, signer)).toThrow(expect.objectContaining({
      name: 'SignerMismatchError',
      message: `This key (${EVM_ADDRESS.toLowerCase()}) cannot sign a request whose public_key is ${ED25519_PUBLIC_KEY}.`
    }))
  })

  it('refuses to sign after lock(), and lock() erases the private key', () => {
    const secret = hexToBytes(ED25519_SEED_HEX)
    const signer = createSigner('studio-ed', 'ed25519', secret)
    signer.lock()
    signer.lock()
    expect(signer.locked).toBe(true)
    expect(secret.every(b => b === 0)).toBe(true)
    expect(() => signTransaction(ED25519_REQUEST, signer)).toThrow(expect.objectContaining({
      name: 'KeyLockedError', message: 'The key "studio-ed" is locked. Unlock it with its passphrase to sign.'
    }))
  })
})

describe('EIP-191 helpers', () => {
  it('personalMessageHash equals ethers hashMessage', () => {
    expect(`0x${bytesToHex(personalMessageHash(signingBytes(EVM_REQUEST)))}`).toBe(hashMessage(signingMessage(EVM_REQUEST)))
    const unicode = new TextEncoder().encode('é 🦍')
    expect(`0x${bytesToHex(personalMessageHash(unicode))}`).toBe(hashMessage(unicode))
  })

  it('toChecksumAddress gives the EIP-55 form', () => {
    expect(toChecksumAddress(EVM_ADDRESS.toLowerCase())).toBe(EVM_ADDRESS)
    expect(toChecksumAddress('0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d')).toBe('0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D')
  })
})
