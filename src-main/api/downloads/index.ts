/**
 * Downloads for the browser UI: in browser mode the page cannot name a path on the node's
 * computer to export to, nor put the API token on a link, so it asks for a single-use link to a
 * collection's CAR (the export's snapshot taken at once) and lets the browser save it.
 *
 * @example
 * ```ts
 * await registerDownloadRoutes(app, { exporter, authorize })
 * // POST /downloads?token_key=… (Bearer token) → { url: '/downloads/<ticket>', name, roots, … }; GET url → the CAR
 * ```
 */
export { downloadName, registerDownloadRoutes } from './routes.js'
export type { DownloadRoutesComponents } from './routes.js'
export * from './constants.js'
export * from './errors.js'
