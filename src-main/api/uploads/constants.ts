/** Where the UI's uploads are served: `POST /uploads`, `PUT /uploads/<id>/<name>`, `DELETE /uploads/<id>`. */
export const UPLOADS_PATH = '/uploads'
/** The folder under the data folder that holds uploads while they are imported (emptied at each start). */
export const UPLOADS_DIR = 'uploads'
/** Largest single uploaded file: a CAR backup of a large collection fits. */
export const MAX_UPLOAD_FILE_BYTES = 2 * 1024 * 1024 * 1024
/** Most files in one upload: a 100,000-token collection as one file per token. */
export const MAX_UPLOAD_FILES = 100_000
/** Most bytes one upload holds, all files together. */
export const MAX_UPLOAD_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
/** Most uploads kept at once (an upload is removed when its import ends or it is cancelled). */
export const MAX_OPEN_UPLOADS = 4
/** Longest file name taken, in UTF-8 bytes (what most file systems allow). */
export const MAX_UPLOAD_NAME_BYTES = 255
