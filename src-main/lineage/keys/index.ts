/**
 * The creator's signing keys: ed25519 and EVM (secp256k1), each in `<dataDir>/keystore/<name>.json`
 * (mode 0600, folder 0700) as a Web3 Secret Storage v3 keystore — scrypt, AES-128-CTR, keccak256
 * MAC — so EVM keys move to and from geth, MetaMask and ethers. Ed25519 keys use the same
 * envelope; their `x-lineage.type` is "ed25519" and they have no `address`. Private keys are
 * decrypted only into a Signer's memory and erased by its lock().
 *
 * @example
 * ```ts
 * const keystore = createKeystore({ log: logger.forComponent('lineage:keys') }, { dataDir })
 * await keystore.create('studio', 'secp256k1', passphrase)
 * keystore.list()            // [{ name: 'studio', type: 'secp256k1', publicKey: '0x…', createdAt: '…' }]
 * const signer = await keystore.unlock('studio', passphrase)
 * const signature = signTransaction(request, signer)
 * signer.lock()
 * ```
 */
import { FileKeystore } from './keystore.js'
import type { Keystore, KeystoreComponents, KeystoreInit } from './keystore.js'

export function createKeystore (components: KeystoreComponents, init: KeystoreInit): Keystore {
  return new FileKeystore(components, init)
}

export type { Keystore, KeystoreComponents, KeystoreInit, KeyInfo } from './keystore.js'
export type { Signer } from './signer.js'
export { createSigner, publicKeyOf } from './signer.js'
export type { KeystoreJson, LineageKeyInfo } from './secret-storage.js'
export * from './constants.js'
export * from './errors.js'
