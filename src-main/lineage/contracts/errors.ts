/** The id is taken (by a built-in or an earlier deploy) or not a valid id. */
export class ContractIdError extends Error {
  override readonly name = 'ContractIdError'
  readonly field = 'id'
  constructor (detail: string) {
    super(`id: ${detail}`)
  }
}

/** The module is not a meta contract: it lacks the functions the validator calls. */
export class NotAContractError extends Error {
  override readonly name = 'NotAContractError'
  constructor (detail: string) {
    super(`This module is not a meta contract: ${detail}. Build contracts from services/template with \`lineage-node contract build\`.`)
  }
}
