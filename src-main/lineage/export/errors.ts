/** The export target cannot be used: relative, existing, or in a folder that does not exist. */
export class ExportPathError extends Error {
  override readonly name = 'ExportPathError'
  readonly field = 'path'
  constructor (detail: string) {
    super(`path: ${detail}`)
  }
}

/** Nothing matches what was asked to export. */
export class NothingToExportError extends Error {
  override readonly name = 'NothingToExportError'
  constructor (what: string) {
    super(`There is nothing to export: ${what}.`)
  }
}
