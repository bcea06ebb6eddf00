/** The secret that write methods of the API require (owner-only). */
export const API_TOKEN_FILE = 'api-token'
/** Written while the API runs so `lineage-node status` (and a second app instance) can find it. */
export const API_FILE = 'api.json'
/** Environment variable overriding the default data dir. */
export const DATA_DIR_ENV = 'LINEAGE_DATA_DIR'
/** Owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600
