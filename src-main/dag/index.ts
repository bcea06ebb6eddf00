/**
 * Lineage's IPLD layer: version blocks (dag-cbor, sha2-256, CIDv1 `bafyrei…`, each linking the
 * version before it), history walks, block verification, and CAR v1 export, all-or-nothing
 * import, and entry-by-entry reading. Reads through any interface-blockstore; imports into the node's SQLite blockstore.
 *
 * @example
 * ```ts
 * const blockstore = createBlockstore(store)
 * const { cid, bytes } = encodeVersionBlock({ timestamp: Date.now(), content: { name: 'a' }, transaction })
 * store.db.transaction(() => { blockstore.putSync(cid, bytes) })()
 * for await (const { cid, block } of walkHistory(blockstore, cid)) console.log(cid.toString(), block.content)
 * const car = exportCar(blockstore, [cid])                   // AsyncGenerator<Uint8Array>
 * const { roots } = await importCar(otherBlockstore, car, { onProgress: e => console.log(e.blocks) })
 * // A file of any size, streamed; a damaged file read entry by entry:
 * await writeCarFile(fd, [root.cid], blocks(), { signal, onProgress })   // fd of a new file (files/ createNewFile)
 * const { roots, entries } = await readCar(file.chunks)                   // files/ openRegularFile
 * for await (const entry of entries) if (entry.refused !== undefined) console.log(entry.cid, entry.refused.reason)
 * ```
 */
export { encodeVersionBlock, decodeVersionBlock, sameContent } from './version-block.js'
export type { VersionBlock, VersionTransaction, EncodedBlock } from './version-block.js'
export type { JsonValue } from './content.js'
export { checkJsonContent } from './content.js'
export { contentFromData } from './content-from-data.js'
export { walkHistory } from './history.js'
export type { HistoryEntry, WalkHistoryOptions } from './history.js'
export { verifyBlock } from './hashing.js'
export { encodeDagCborBlock, getBlock, linksOf } from './blocks.js'
export type { BlockSource } from './blocks.js'
export { carStream, exportCar } from './car-export.js'
export type { ExportCarOptions } from './car-export.js'
export { importCar } from './car-import.js'
export type { ImportCarOptions, ImportCarResult } from './car-import.js'
export { readCar } from './car-read.js'
export type { CarEntry, CarReading, ReadCarOptions, RefusedBlockError } from './car-read.js'
export { writeCarFile } from './car-file.js'
export type { WriteCarFileResult } from './car-file.js'
export type { CarProgressEvent, CarProgressOptions } from './progress.js'
export * from './constants.js'
export * from './errors.js'
export { elideTransaction, restoreTransaction, storedContent, versionBlockHash } from './elided-block.js'
export type { ElidedBlock, TransactionFields } from './elided-block.js'
