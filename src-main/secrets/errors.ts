/** The credentials file or its key cannot be read or is not what the node writes. */
export class SecretFileError extends Error {
  override readonly name = 'SecretFileError'
  constructor (readonly file: string, detail: string) {
    super(`The credentials file ${file} cannot be used (${detail}). Add the pinning services again once it is moved away.`)
  }
}

/** A credential was sealed by a keychain this process cannot use (the desktop app's, read by the CLI). */
export class SecretCipherUnavailableError extends Error {
  override readonly name = 'SecretCipherUnavailableError'
  constructor (readonly id: string, readonly cipher: string) {
    super(`The credential "${id}" is sealed by ${cipher === 'os-keychain' ? 'the OS keychain of the desktop app' : `"${cipher}"`}, which this process cannot open. Run the desktop app, or add it again here.`)
  }
}

/** A credential the node expected is not in the file (it was moved or edited away). */
export class SecretMissingError extends Error {
  override readonly name = 'SecretMissingError'
  constructor (readonly id: string) {
    super(`The credential "${id}" is not in the credentials file any more. Add it again.`)
  }
}

/** A sealed credential did not open: the key changed, or the file was altered. */
export class SecretOpenError extends Error {
  override readonly name = 'SecretOpenError'
  constructor (readonly id: string) {
    super(`The credential "${id}" cannot be opened: its key has changed or the file was altered. Add it again.`)
  }
}
