/** A search condition's value does not fit its column's type; `field` is its path in the filter. */
export class InvalidSearchValueError extends Error {
  override readonly name = 'InvalidSearchValueError'
  constructor (readonly field: string, detail: string) {
    super(`${field}: ${detail}`)
  }
}
