/**
 * Writing to the chain from the app: the creator sets their collection contract's baseURI or a
 * token's URI, or announces an EIP-4906 metadata update, signed by an EVM key of the keystore.
 * The contract's code says which setter it has (setBaseURI, setBaseTokenURI, setURI…); the gas
 * is estimated from the key's account first and the send is a separate step that estimates
 * again. Each transaction is kept in SQLite and tracked until confirmed, across restarts; the
 * EIP-4906 events of a confirmed one are recorded. ethers loads with the first call.
 *
 * @example
 * ```ts
 * const writer = createChainWriter({ db: store.db, chain, keystore, log })
 * writer.start()
 * const estimate = await writer.estimate({ chain_id: 1, address, key: 'studio', action: 'base_uri', uri: 'ipfs://bafy…/' })
 * const tx = await writer.send({ chain_id: 1, address, key: 'studio', action: 'base_uri', uri: 'ipfs://bafy…/', passphrase, max_cost_wei: estimate.cost_wei })
 * writer.tx(tx.id)   // { state: 'sent' | 'mined' | 'confirmed' | 'failed', depth, … }
 * ```
 */
import { ChainWriterImpl } from './writer.js'
import type { ChainWriter, ChainWriterComponents, ChainWriterInit } from './writer.js'

export function createChainWriter (components: ChainWriterComponents, init: ChainWriterInit = {}): ChainWriter {
  return new ChainWriterImpl(components, init)
}

export type { ChainWriter, ChainWriterComponents, ChainWriterInit } from './writer.js'
export type * from './types.js'
export * from './constants.js'
export * from './errors.js'
