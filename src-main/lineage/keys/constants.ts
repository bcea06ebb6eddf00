/** Folder inside the data dir holding one `<name>.json` per key. */
export const KEYSTORE_DIR = 'keystore'
/** Key files: owner read/write only. */
export const KEY_FILE_MODE = 0o600
/** The keystore folder: owner only, so file names (key names) are private too. */
export const KEYSTORE_DIR_MODE = 0o700

/** Key names: lower-case letters, digits, "_" and "-", starting with a letter or digit; no dots or slashes, so no path tricks. */
export const KEY_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/
/** Device names Windows refuses as file names whatever the extension. */
export const RESERVED_KEY_NAMES = new Set(['con', 'prn', 'aux', 'nul', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap(n => [`com${n}`, `lpt${n}`])])

/** Shortest passphrase accepted when a key is encrypted: scrypt slows guessing, it cannot save a trivial passphrase. */
export const MIN_PASSPHRASE_LENGTH = 8

/**
 * scrypt cost for keys the node encrypts: N = 2^17, r = 8, p = 1, as ethers and MetaMask write
 * (geth's "standard" is 2^18). About 128 MiB and a second of work per unlock, on purpose.
 */
export const SCRYPT_N = 2 ** 17
export const SCRYPT_R = 8
export const SCRYPT_P = 1
/** Web3 Secret Storage splits a 32-byte derived key: AES-128 key, then MAC key. */
export const DERIVED_KEY_BYTES = 32
/** Smallest N a keystore may be created with (tests use it); anything lower is not a KDF. */
export const MIN_SCRYPT_N = 2 ** 4

/**
 * Bounds on the KDF parameters of a keystore we read, so a hostile file cannot make the node
 * allocate gigabytes or spin for minutes: geth "standard" (N = 2^18, r = 8: 256 MiB) is the most.
 */
export const MAX_SCRYPT_MEMORY_BYTES = 128 * 8 * 2 ** 18
export const MAX_SCRYPT_P = 16
/** geth's pbkdf2 keystores used c = 262144; allow some headroom. */
export const MAX_PBKDF2_ITERATIONS = 2 ** 21

/** Largest key file read; a real one is under 1 KiB. */
export const MAX_KEY_FILE_BYTES = 64 * 1024
/** Private key length of both key types (ed25519 seed, secp256k1 scalar). */
export const PRIVATE_KEY_BYTES = 32
/** The Web3 Secret Storage field that carries Lineage's key type, public key and creation time. */
export const LINEAGE_FIELD = 'x-lineage'

/**
 * Most worker threads that make secp256k1 signatures for one unlocked key (noble's, in JS, about
 * 0.5 ms each): one per core but the one left to the import's own thread, at least one, at most this.
 */
export const SIGN_WORKERS_MAX = 4
/** Messages sent to a signing worker at once: large enough to amortise the round trip, small enough to share a batch among workers. */
export const SIGN_CHUNK = 64
/** Heap of a signing thread: its garbage is a signature's short-lived numbers; little lives long. */
export const SIGN_WORKER_YOUNG_SPACE_MB = 4
export const SIGN_WORKER_OLD_SPACE_MB = 32
