/**
 * The app's name, which also names its user-data and log folders (the package name is
 * `lineage-desktop`; Electron would use it when run unpackaged).
 */
export const PRODUCT_NAME = 'Lineage Desktop'

/** The URL scheme the app registers with the OS: `lineage://token/<chainId>/<address>/<tokenId>`. */
export const DEEP_LINK_SCHEME = 'lineage'
/** Longest deep link read: a full link is under 200 characters; anything longer is refused unread. */
export const MAX_DEEP_LINK_LENGTH = 256

/** The app's settings file, in Electron's userData folder. */
export const SETTINGS_FILE = 'desktop-settings.json'
/** Version of the settings file's shape; older files are migrated on read. */
export const SETTINGS_VERSION = 1
/** Largest settings file read; a bigger one is not ours. */
export const MAX_SETTINGS_FILE_BYTES = 64 * 1024

/** The encrypted passphrases, in the node's data dir (next to `keystore/`). */
export const KEYCHAIN_FILE = 'keychain.json'
/** Owner-only, like the keystore: the ciphertext is the OS keychain's, but names are private too. */
export const KEYCHAIN_FILE_MODE = 0o600
/** Largest keychain file read. */
export const MAX_KEYCHAIN_FILE_BYTES = 1024 * 1024
/** Longest passphrase the keychain stores (the RPC methods take at most 1024 characters too). */
export const MAX_PASSPHRASE_LENGTH = 1024

/** The log file in the app's log folder; rotated copies are `lineage.1.log`, `lineage.2.log`… */
export const LOG_FILE = 'lineage.log'
/** A log file is rotated when the next line would take it past this size. */
export const LOG_MAX_BYTES = 5 * 1024 * 1024
/** Rotated files kept besides the current one; the oldest is deleted. */
export const LOG_KEEP_FILES = 3
/** Which loggers write to the file unless `DEBUG` says otherwise: Lineage's own, and every error. */
export const LOG_DEFAULT_NAMESPACES = 'lineage:*,*:error'

/** Argument the login item starts the app with, so it opens in the tray without a window. */
export const LAUNCHED_AT_LOGIN_ARG = '--launched-at-login'
/** Name of the XDG autostart entry on Linux (`~/.config/autostart/<name>.desktop`). */
export const LINUX_AUTOSTART_NAME = 'lineage-desktop'

/**
 * Largest image the desktop app previews from the node's blocks (over IPC, since the window loads
 * nothing from the network): a block is at most 2 MiB on the network, and a preview needs no more.
 */
export const MAX_PREVIEW_BYTES = 4 * 1024 * 1024
/** Longest `/ipfs/<cid>/<path>` asked for a preview. */
export const MAX_PREVIEW_PATH_LENGTH = 512

/** What the window is told of a failure the app has no name for (a bug); the details are the main process's. */
export const IPC_INTERNAL_ERROR_MESSAGE = 'Internal error: the app could not do this; details are in its log.'
/** Largest text the page may have the main process save (a key's encrypted keystore file is a few hundred bytes). */
export const MAX_SAVED_FILE_BYTES = 64 * 1024
