// One class per failure of a build; callers branch on `err.name`.

/** A service folder could not be turned into a Marine module (source, compile or layout problem). */
export class ServiceBuildError extends Error {
  override name = 'ServiceBuildError'
}

/** The AssemblyScript compiler rejected the service's sources. */
export class CompileError extends ServiceBuildError {
  override name = 'CompileError'
  readonly diagnostics: string

  constructor(message: string, diagnostics: string) {
    super(message)
    this.diagnostics = diagnostics
  }
}

/** An exported function or record uses a type Marine's interface types cannot express. */
export class UnsupportedTypeError extends ServiceBuildError {
  override name = 'UnsupportedTypeError'
}

/** A function, argument, record or field name is longer than the 255 bytes Marine can store. */
export class NameTooLongError extends ServiceBuildError {
  override name = 'NameTooLongError'
}

/** More arguments, fields or adapter instructions than the 127 Marine reads in one list. */
export class TooManyItemsError extends ServiceBuildError {
  override name = 'TooManyItemsError'
}
