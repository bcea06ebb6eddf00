/** The credentials the node keeps outside its database (remote pinning service tokens). */
export const SECRETS_FILE = 'credentials.json'
/** The key that seals them when no OS keychain does (a process without Electron: the CLI, tests). */
export const SECRETS_KEY_FILE = 'credentials.key'
/** Owner-only, as every file of the data dir. */
export const SECRET_FILE_MODE = 0o600
/** A credentials file larger than this is not one: it is refused rather than read. */
export const MAX_SECRETS_FILE_BYTES = 1024 * 1024
/** AES-256-GCM: a 256-bit key, a 96-bit nonce per seal, a 128-bit tag. */
export const SECRET_KEY_BYTES = 32
export const SECRET_NONCE_BYTES = 12
export const SECRET_TAG_BYTES = 16
