/**
 * IPFS on the node's own libp2p host: bitswap (`/ipfs/bitswap/1.2.0`, @helia/bitswap) over the
 * node's SQLite blockstore. Any IPFS node connected to this one (Kubo, Helia, another Lineage
 * node) can fetch the blocks it holds by CID, and `want` fetches blocks this node lacks from its
 * connected peers, checks each against its CID and stores it. There is no DHT: the providers are
 * the connected peers (mDNS, the bootstrap list, manual dials, inbound peers).
 *
 * @example
 * ```ts
 * const bitswap = createBitswapService({ libp2p: host.libp2p, blockstore, logger })
 * await bitswap.start()                        // peers can now fetch our blocks
 * const bytes = await bitswap.want(cid, { signal, onProgress: e => log(e.type) })
 * const reader = createBlockReader({ blockstore, bitswap })  // API reads: held blocks, or one fetched, bounded
 * await bitswap.stop()
 * ```
 */
import { createHeliaBitswapService } from './bitswap.js'

export const createBitswapService = createHeliaBitswapService
export type { BitswapService, BitswapServiceComponents, BitswapServiceInit, WantOptions } from './bitswap.js'
export { createBlockReader } from './block-reader.js'
export type { BlockReader, BlockReaderComponents, BlockReaderInit } from './block-reader.js'
export * from './constants.js'
export * from './errors.js'
