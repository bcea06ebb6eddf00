/**
 * Uploads from the browser UI: in browser mode the page cannot name a path on the node's
 * computer, so the files of a folder (or one CSV or CAR file) the creator picks are streamed to
 * the node into a fresh folder under `<data-dir>/uploads/`, which an import then reads.
 *
 * @example
 * ```ts
 * const uploads = createUploads({ dir: path.join(dataDir, UPLOADS_DIR) })
 * await registerUploadRoutes(app, { uploads, authorize, bodyLimit: MAX_UPLOAD_FILE_BYTES })
 * ```
 */
export { createUploads } from './uploads.js'
export type { Uploads, UploadsInit, UploadInfo } from './uploads.js'
export { registerUploadRoutes } from './routes.js'
export type { UploadRoutesComponents } from './routes.js'
export { checkUploadName, isUploadId } from './names.js'
export * from './constants.js'
export * from './errors.js'
