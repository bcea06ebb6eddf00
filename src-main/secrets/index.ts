/**
 * Credentials the node must keep but never in its database (remote pinning service tokens): a
 * file of sealed entries, owner-only, outside `lineage.sqlite`. The desktop app seals with the OS
 * keychain (Electron safeStorage); any other process with AES-256-GCM under a key file, 0600.
 *
 * @example
 * ```ts
 * const vault = createSecretVault({ dir: dataDir })
 * vault.set('remote-pinning/psa', token)
 * vault.get('remote-pinning/psa') // the token
 * ```
 */
export { createSecretVault } from './vault.js'
export { keyFileCipher } from './key-file-cipher.js'
export type { SecretCipher, SecretVault } from './types.js'
export { SecretCipherUnavailableError, SecretFileError, SecretMissingError, SecretOpenError } from './errors.js'
export { SECRETS_FILE, SECRETS_KEY_FILE, SECRET_FILE_MODE } from './constants.js'
