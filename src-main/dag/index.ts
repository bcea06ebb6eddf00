/**
 * Lineage's IPLD layer: version blocks (dag-cbor, sha2-256, CIDv1 `bafyrei…`, each linking the
 * version before it), history walks, block verification, and CAR v1 export and all-or-nothing
 * import. Reads through any interface-blockstore; imports into the node's SQLite blockstore.
 *
 * @example
 * ```ts
 * const blockstore = createBlockstore(store)
 * const { cid, bytes } = encodeVersionBlock({ timestamp: Date.now(), content: { name: 'a' }, transaction })
 * store.db.transaction(() => { blockstore.putSync(cid, bytes) })()
 * for await (const { cid, block } of walkHistory(blockstore, cid)) console.log(cid.toString(), block.content)
 * const car = exportCar(blockstore, [cid])                   // AsyncGenerator<Uint8Array>
 * const { roots } = await importCar(otherBlockstore, car, { onProgress: e => console.log(e.blocks) })
 * ```
 */
export { encodeVersionBlock, decodeVersionBlock, sameContent } from './version-block.js'
export type { VersionBlock, VersionTransaction, EncodedBlock } from './version-block.js'
export type { JsonValue } from './content.js'
export { walkHistory } from './history.js'
export type { HistoryEntry, WalkHistoryOptions } from './history.js'
export { verifyBlock } from './hashing.js'
export { encodeDagCborBlock, getBlock, linksOf } from './blocks.js'
export type { BlockSource } from './blocks.js'
export { exportCar } from './car-export.js'
export type { ExportCarOptions } from './car-export.js'
export { importCar } from './car-import.js'
export type { ImportCarOptions, ImportCarResult } from './car-import.js'
export type { CarProgressEvent, CarProgressOptions } from './progress.js'
export * from './constants.js'
export * from './errors.js'
