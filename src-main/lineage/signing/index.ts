/**
 * The signed transaction format. A writer signs a short UTF-8 text that names every field that
 * decides a transaction's effect, plus a nonce; an EVM wallet signs it with `personal_sign`
 * (EIP-191), an ed25519 key signs its bytes. The node verifies before anything is stored, and
 * identifies a transaction by the hash of that text, so a replay has the hash of a stored one.
 *
 * @example
 * ```ts
 * const request = { method: 'metadata', chain_id: '1', token_address: '0x…', token_id: '42',
 *   meta_contract_id: 'erc721', alias: 'attributes', version: 'v1', public_key: wallet.address,
 *   nonce: '9f2c…', timestamp: Date.now(), data: '{"name":"x"}', mcdata: '' }
 * const signature = await wallet.signMessage(signingMessage(request))   // ethers or viem
 * const { signer, scheme } = verifyTransactionSignature({ ...request, signature })
 * const hash = transactionHash(request)
 * ```
 */
export { signingMessage, signingBytes, transactionHash, canonicalPublicKey, canonicalAddress, canonicalAlias, canonicalSlotKey, prepareTransaction } from './message.js'
export type { PreparedTransaction } from './message.js'
export { validateTransactionRequest, validateUnsignedRequest, signatureScheme, UNSIGNED_FIELDS } from './request.js'
export type { TransactionRequest, UnsignedTransactionRequest, SignatureScheme } from './request.js'
export { verifyTransactionSignature, checkSignedTransaction } from './verify.js'
export type { VerifiedSigner } from './verify.js'
export { signTransaction, encodeSignature } from './sign.js'
export type { KeyType, TransactionSigner } from './sign.js'
export { personalMessageHash, signPersonalMessage, addressFromPrivateKey, recoverPersonalSigner } from './eip191.js'
export { EIP191_PREFIX } from './personal-sign.js'
export { ed25519PublicKey, ed25519SigningKey, signEd25519, signEd25519Async } from './ed25519.js'
export { encodeBase58, decodeBase58, toChecksumAddress } from './encoding.js'
export * from './constants.js'
export * from './errors.js'
