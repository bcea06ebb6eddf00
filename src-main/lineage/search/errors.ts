/** `after` names a transaction this node does not hold, so there is no place to continue from. */
export class SearchCursorError extends Error {
  override readonly name = 'SearchCursorError'
  /** The parameter that holds the cursor. */
  readonly field = 'options'
  constructor (readonly hash: string) {
    super(`options.after: this node holds no transaction ${hash}; pass the hash of the last transaction of the previous page.`)
  }
}

/** A search condition's value does not fit its column's type; `field` is its path in the filter. */
export class InvalidSearchValueError extends Error {
  override readonly name = 'InvalidSearchValueError'
  constructor (readonly field: string, detail: string) {
    super(`${field}: ${detail}`)
  }
}
