import { randomBytes } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { Wallet } from 'ethers'
import { base58btc } from 'multiformats/bases/base58'
import { signingMessage } from '../../src-main/lineage/signing/index.js'
import type { TransactionRequest, UnsignedTransactionRequest } from '../../src-main/lineage/signing/index.js'

/** Something that signs Lineage requests the way a real client would. */
export interface TestSigner {
  publicKey: string
  /** Signs with a fresh nonce and the current time unless the fields give them. */
  sign(request: Omit<UnsignedTransactionRequest, 'public_key' | 'nonce' | 'timestamp'> & { nonce?: string, timestamp?: number }): Promise<TransactionRequest>
}

export const freshNonce = (): string => randomBytes(16).toString('hex')

let lastSignedAt = 0
/**
 * Now, but never the same millisecond twice: nodes order transactions by (timestamp, hash), so a
 * binding and the write after it, signed in one millisecond, would be ordered by their hashes.
 */
export function freshTimestamp (): number {
  lastSignedAt = Math.max(Date.now(), lastSignedAt + 1)
  return lastSignedAt
}

/** An EVM wallet signing with ethers (EIP-191 personal_sign), independent of our code. */
export function evmSigner (privateKey?: string): TestSigner {
  const wallet = privateKey === undefined ? Wallet.createRandom() : new Wallet(privateKey)
  return {
    publicKey: wallet.address,
    async sign (fields) {
      const unsigned = { ...fields, public_key: wallet.address, nonce: fields.nonce ?? freshNonce(), timestamp: fields.timestamp ?? freshTimestamp() }
      return { ...unsigned, signature: await wallet.signMessage(signingMessage(unsigned)) }
    },
  }
}

/** An ed25519 key signing with @noble/curves. */
export function ed25519Signer (): TestSigner {
  const secret = ed25519.utils.randomSecretKey()
  const publicKey = base58btc.baseEncode(ed25519.getPublicKey(secret))
  return {
    publicKey,
    async sign (fields) {
      const unsigned = { ...fields, public_key: publicKey, nonce: fields.nonce ?? freshNonce(), timestamp: fields.timestamp ?? freshTimestamp() }
      const signature = ed25519.sign(new TextEncoder().encode(signingMessage(unsigned)), secret)
      return { ...unsigned, signature: base58btc.baseEncode(signature) }
    },
  }
}
