/**
 * CAR export of what the node keeps: one token, one collection, or everything (every slot head
 * and every pin), each version with its whole history. The file appears only when complete.
 *
 * @example
 * ```ts
 * const exporter = createExporter({ store, blockstore })
 * const { roots, blocks } = await exporter.export({ path: '/backups/collection.car', tokenKey })
 * ```
 */
export { createExporter } from './exporter.js'
export type { Exporter, ExporterComponents, ExportRequest, ExportResult } from './exporter.js'
export * from './errors.js'
