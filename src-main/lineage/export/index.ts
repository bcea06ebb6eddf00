/**
 * CAR export of what the node keeps: one token, one collection, or everything (every slot head
 * and every pin), each version with its whole history, plus the signed transactions that wrote
 * them and the user-deployed contracts they need, under one root. It streams from a snapshot
 * taken at its start, in constant memory. The file appears only when complete.
 *
 * @example
 * ```ts
 * const exporter = createExporter({ store, blockstore })
 * const { roots, blocks } = await exporter.export({ path: '/backups/collection.car', tokenKey }, { signal, onProgress })
 * ```
 */
export { createExporter } from './exporter.js'
export type { Exporter, ExporterComponents } from './exporter.js'
export type { ExportDagRequest, ExportDagResult, ExportOptions, ExportRequest, ExportResult, ExportScope, ExportStream } from './types.js'
export * from './constants.js'
export * from './errors.js'
