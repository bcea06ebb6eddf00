/** An operation's input is wrong (empty name, bad value, renaming to itself…); `field` names it. */
export class BulkEditInputError extends Error {
  override readonly name = 'BulkEditInputError'
  constructor (readonly field: string, detail: string) {
    super(`${field}: ${detail}`)
  }
}

/** A trait to rename or remove is not a trait of any token of the collection. */
export class BulkEditUnknownTraitError extends Error {
  override readonly name = 'BulkEditUnknownTraitError'
  readonly field = 'operation.trait_type'
  constructor (traitType: string, known: readonly string[]) {
    const some = known.slice(0, 8).map(t => `"${t}"`).join(', ')
    super(`No token of this collection has the trait "${traitType}"${known.length === 0 ? ' (it has no traits)' : `; its traits are ${some}${known.length > 8 ? '…' : ''}`}. Nothing was changed.`)
  }
}

/** A field to rename or remove is in none of the selected tokens' documents. */
export class BulkEditUnknownFieldError extends Error {
  override readonly name = 'BulkEditUnknownFieldError'
  readonly field = 'operation.field'
  constructor (field: string) {
    super(`None of the selected tokens has the field "${field}". Nothing was changed.`)
  }
}

/** The selection holds no token (a filter matching nothing, an empty list). */
export class BulkEditEmptySelectionError extends Error {
  override readonly name = 'BulkEditEmptySelectionError'
  readonly field = 'selection'
  constructor (detail: string) {
    super(`${detail} Choose at least one token. Nothing was changed.`)
  }
}

/** The selection holds more tokens than one bulk edit may change (MAX_BULK_EDIT_TOKENS). */
export class BulkEditTooManyTokensError extends Error {
  override readonly name = 'BulkEditTooManyTokensError'
  readonly field = 'selection'
  constructor (count: number, limit: number) {
    super(`The selection holds ${count.toLocaleString('en-US')} tokens; one bulk edit changes at most ${limit.toLocaleString('en-US')}. Narrow the search or the filters. Nothing was changed.`)
  }
}

/** No bulk edit job has this id. */
export class BulkEditJobNotFoundError extends Error {
  override readonly name = 'BulkEditJobNotFoundError'
  constructor (readonly job: string) {
    super(`No bulk edit job ${job.slice(0, 64)}`)
  }
}
