/**
 * Bulk import: a folder of `<tokenId>.json` files, a CSV (one token per row), or a CAR file. Each
 * folder or CSV item becomes a signed `metadata` transaction, published through the engine and
 * judged by the collection's meta contract; a CAR's blocks are verified and stored. Sources are
 * streamed (constant memory), runs report progress, can be cancelled, and resume after a cancel
 * or a crash without publishing any item twice (nonces derive from job and item). Jobs are rows
 * of the store's `jobs` table.
 *
 * @example
 * ```ts
 * const importer = createImporter({ lineage, store, blockstore, log: logger.forComponent('lineage:import') })
 * importer.start()
 * const { job } = await importer.create({ source: '/home/me/collection', chain_id: '1', token_address: '0x…',
 *   meta_contract_id: 'erc721', public_key: signer.publicKey })
 * const report = await importer.run(job, { signer, signal, onProgress: e => console.log(e.type, e) })
 * // { job, state: 'done', total: 10000, done: 10000, applied: 9997, rejected: [{ item: '17.json', reason: '…' }], rejected_count: 3, skipped: 0 }
 * // after a crash or a cancel: importer.run(job, { signer }) carries on where it stopped
 * ```
 */
import { LineageImporter } from './importer.js'
import type { ImporterComponents } from './importer.js'

export type Importer = LineageImporter

export function createImporter (components: ImporterComponents): Importer {
  return new LineageImporter(components)
}

export type { ImporterComponents, ImporterEvents } from './importer.js'
export type * from './types.js'
export { parseCsv } from './csv.js'
export type { CsvRecord } from './csv.js'
export { itemNonce } from './nonce.js'
export { checkImportPath } from './paths.js'
export { shownText } from './shown-text.js'
export * from './constants.js'
export * from './errors.js'
