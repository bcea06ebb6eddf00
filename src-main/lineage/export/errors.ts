/**
 * The export target cannot be used: relative, existing, in a folder that does not exist, behind a
 * symbolic link, or in a system folder (the file checks' own error is the cause).
 */
export class ExportPathError extends Error {
  override readonly name = 'ExportPathError'
  readonly field = 'path'
  constructor (detail: string, options?: ErrorOptions) {
    super(`path: ${detail}`, options)
  }
}

/** Nothing matches what was asked to export. */
export class NothingToExportError extends Error {
  override readonly name = 'NothingToExportError'
  constructor (what: string) {
    super(`There is nothing to export: ${what}.`)
  }
}
