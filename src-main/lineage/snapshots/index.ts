/**
 * ipfs:// snapshots: a collection as an IPFS folder. Each snapshot is a UnixFS directory (built by
 * `ipfs-unixfs-importer` as `ipfs add -r --cid-version=1` would: CIDv1, raw leaves, HAMT-sharded
 * past Kubo's 256 KiB) whose entry `<tokenId>` holds exactly the bytes the gateway serves for
 * `/metadata/<chainId>/<address>/<tokenId>`, and optionally `<tokenId>.json` (the same file). Its
 * blocks, its recursive pin and its dated record commit in one SQLite transaction; a cancelled
 * snapshot leaves nothing. A creator sets the contract's baseURI to `ipfs://<root>/`.
 *
 * @example
 * ```ts
 * const snapshots = createSnapshots({ store, blockstore, lineage, formatter, pins, exporter, log })
 * const s = await snapshots.create({ chain_id: '1', token_address: '0xbc4c…' }, { jsonSuffix: true, signal, onProgress: e => console.log(e.done, e.total) })
 * s.base_uri                                   // 'ipfs://bafybei…/'
 * snapshots.ls({ chain_id: '1', token_address: '0xbc4c…' })   // newest first
 * await snapshots.exportCar(s.root_cid, '/tmp/collection.car')
 * snapshots.rm(s.root_cid)                      // unpinned; GC frees the blocks
 * ```
 */
export { createSnapshots } from './snapshots.js'
export type { CreateSnapshotOptions, KeptDocuments, SnapshotCollection, SnapshotInfo, SnapshotProgressEvent, Snapshots, SnapshotsComponents, SnapshotsInit, SnapshotSource, SnapshotStatus } from './snapshots.js'
export * from './constants.js'
export * from './errors.js'
