import { MAX_SHOWN_REASON_CHARS } from './constants.js'
import { shownText } from './shown-text.js'

// Messages that carry a path, a column name or a contract's reason show them safely (shown-text.ts):
// they reach the CLI, the job row, RPC answers and the log.

/** The path given to an import is not one the node will read: relative, a trick, or missing. */
export class ImportPathError extends Error {
  override readonly name = 'ImportPathError'
  readonly field = 'path'
  constructor (readonly path: string, detail: string) {
    super(`path: ${shownText(detail, MAX_SHOWN_REASON_CHARS)}`)
  }
}

/** The source cannot be imported as a whole: not a folder, CSV or CAR, or a CSV without a usable header. */
export class ImportSourceError extends Error {
  override readonly name = 'ImportSourceError'
  constructor (readonly source: string, detail: string) {
    super(`Cannot import ${shownText(source)}: ${shownText(detail, MAX_SHOWN_REASON_CHARS)}`)
  }
}

/** A job resumed over a CSV or CAR file that changed since the job started; its items would not line up. */
export class ImportSourceChangedError extends Error {
  override readonly name = 'ImportSourceChangedError'
  constructor (readonly source: string) {
    super(`${shownText(source)} changed since this import started (its size or modification time differs). Start a new import for the new file.`)
  }
}

/** No import job has this id. */
export class ImportJobNotFoundError extends Error {
  override readonly name = 'ImportJobNotFoundError'
  constructor (readonly job: string) {
    super(`There is no import job "${shownText(job, 80)}".`)
  }
}

/** The job is running now; it cannot be started a second time. */
export class ImportJobBusyError extends Error {
  override readonly name = 'ImportJobBusyError'
  constructor (readonly job: string) {
    super(`The import job ${job} is already running. Wait for it, or cancel it first.`)
  }
}

/** A metadata import needs a key to sign with, and it must be the job's key. */
export class ImportKeyError extends Error {
  override readonly name = 'ImportKeyError'
  constructor (detail: string) {
    super(`Import key: ${detail}`)
  }
}

/** The collection is governed by another contract, or binding it to the requested one was rejected. */
export class ImportBindingError extends Error {
  override readonly name = 'ImportBindingError'
  constructor (detail: string) {
    super(shownText(detail, MAX_SHOWN_REASON_CHARS))
  }
}

/**
 * One item could not be published for a reason nobody planned for (the message says which kind of
 * error, and the log has the rest); the job goes on without it.
 */
export class ImportItemError extends Error {
  override readonly name = 'ImportItemError'
}

/** The engine stopped applying transactions before the import's receipts arrived. */
export class ImportStalledError extends Error {
  override readonly name = 'ImportStalledError'
  constructor (readonly pending: number) {
    super(`The validator stopped with ${pending} imported transaction${pending === 1 ? '' : 's'} still pending; they are applied when the node starts again, and resuming the import reports them.`)
  }
}
