/** An IPC message came from something other than the app's own page; it was not answered. */
export class IpcSenderError extends Error {
  override readonly name = 'IpcSenderError'
  constructor (readonly channel: string) {
    super(`IPC refused on ${channel}: the sender is not the Lineage Desktop window`)
  }
}

/** An IPC message's payload does not have the shape its channel takes. */
export class IpcPayloadError extends Error {
  override readonly name = 'IpcPayloadError'
  constructor (readonly channel: string, readonly field: string, detail: string) {
    super(`IPC ${channel}: ${field} ${detail}`)
  }
}

/** A `lineage://` link is not one the app opens; nothing was opened. */
export class DeepLinkError extends Error {
  override readonly name = 'DeepLinkError'
  constructor (readonly link: string, detail: string) {
    super(`Lineage cannot open the link "${link.slice(0, 120)}": ${detail}. Links look like lineage://token/<chainId>/<0x address>/<tokenId>.`)
  }
}

/** The OS keychain cannot protect a passphrase here (none, or Linux's plain-text fallback). */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError'
  constructor (detail: string) {
    super(`The system keychain is not available (${detail}); type the passphrase each time instead.`)
  }
}

/** The keychain file, or one entry in it, cannot be read or decrypted. */
export class KeychainEntryError extends Error {
  override readonly name = 'KeychainEntryError'
  constructor (readonly path: string, detail: string) {
    super(`The remembered passphrases in ${path} cannot be used (${detail}). Forget them in Settings and type the passphrase again.`)
  }
}

/** The desktop settings file exists but is not a settings file this version reads. */
export class SettingsFileError extends Error {
  override readonly name = 'SettingsFileError'
  constructor (readonly path: string, detail: string) {
    super(`The settings file ${path} cannot be used (${detail}). Delete it to go back to the default settings.`)
  }
}

/** The folder picked for the node's data cannot hold it (not a folder, not writable); nothing was saved. */
export class DataDirChoiceError extends Error {
  override readonly name = 'DataDirChoiceError'
  constructor (readonly path: string, detail: string) {
    super(`Lineage cannot keep its data in ${path}: ${detail}. Choose another folder.`)
  }
}

/** The node's gateway did not give a previewable block (too big, or an error); nothing is shown. */
export class PreviewFetchError extends Error {
  override readonly name = 'PreviewFetchError'
  constructor (readonly path: string, detail: string) {
    super(`The image at ${path} cannot be previewed: ${detail}.`)
  }
}

/** The file manager could not show the log folder. */
export class LogFolderError extends Error {
  override readonly name = 'LogFolderError'
  constructor (readonly dir: string, detail: string) {
    super(`The log folder ${dir} could not be opened: ${detail}`)
  }
}

/** Changing a setting failed on this machine (the OS refused); nothing was stored. */
export class SettingActivationError extends Error {
  override readonly name = 'SettingActivationError'
  constructor (readonly setting: string, detail: string) {
    super(`The setting ${setting} could not be changed: ${detail}`)
  }
}

/** A "Serve publicly" value that cannot be used (not an IP address, not a port); nothing was saved. */
export class PublicGatewaySettingError extends Error {
  override readonly name = 'PublicGatewaySettingError'
  constructor (readonly field: 'enabled' | 'host' | 'port' | 'setting', detail: string) {
    super(detail)
  }
}

/** The file chosen in a save dialog could not be written. */
export class FileSaveError extends Error {
  override readonly name = 'FileSaveError'
  constructor (readonly path: string, detail: string) {
    super(`Lineage could not save ${path}: ${detail}. Choose another place.`)
  }
}
