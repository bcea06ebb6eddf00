/** A block that claims to be part of a transaction archive does not have the archive's shape. */
export class InvalidArchiveError extends Error {
  override readonly name = 'InvalidArchiveError'
  constructor (readonly cid: string, detail: string) {
    super(`The block ${cid} is not a valid Lineage transaction archive: ${detail}.`)
  }
}
