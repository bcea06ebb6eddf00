/**
 * The registry: named, well-known meta contracts (e.g. "0x01" → "erc721"). Anyone may create an
 * entry, and becomes its owner; only the owner may change it. Writes are signed like
 * transactions (EIP-191 `personal_sign` or ed25519) over their own text, headed "Lineage
 * registry v1", so a transaction's signature can never pass as a registry write; each
 * (public_key, nonce) is used once.
 *
 * @example
 * ```ts
 * const registry = createRegistry({ store, hasContract: id => sandbox.has(id), log })
 * const write = { registry_id: '0x01', registry_name: 'ERC-721 metadata', meta_contract_id: 'erc721',
 *   public_key: wallet.address, nonce: '9f2c…' }
 * const signature = await wallet.signMessage(registryMessage(write))   // ethers or viem
 * registry.set({ ...write, signature })   // { hash, created: true, entry }
 * registry.get('0x01')                    // { registry_id, registry_name, meta_contract_id, public_key (owner), updated_at }
 * ```
 */
export { createRegistry } from './registry.js'
export type { Registry, RegistryComponents, RegistryEntry, RegistrySetResult } from './registry.js'
export { registryMessage, registryWriteHash, validateRegistryWrite } from './request.js'
export type { RegistryWrite, UnsignedRegistryWrite } from './request.js'
export { verifyRegistryWrite } from './verify.js'
export * from './constants.js'
export * from './errors.js'
