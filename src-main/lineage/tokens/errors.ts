/** Neither a contract binding nor any slot of this collection is on this node. */
export class UnknownCollectionError extends Error {
  override readonly name = 'UnknownCollectionError'
  constructor (readonly tokenKey: string) {
    super(`This node has no collection with token_key ${tokenKey} (no meta contract is bound to it and no token of it has metadata here).`)
  }
}

/** A version named by CID is not in this node's blockstore. */
export class VersionNotFoundError extends Error {
  override readonly name = 'VersionNotFoundError'
  constructor (readonly cid: string) {
    super(`This node does not hold the block ${cid}.`)
  }
}

/** A block named as a version is not a Lineage version block. */
export class NotAVersionError extends Error {
  override readonly name = 'NotAVersionError'
  constructor (readonly cid: string, detail: string) {
    super(`The block ${cid} is not a Lineage version block (${detail}).`)
  }
}

/** A CID parameter is not a CID; `field` names the parameter. */
export class VersionCidError extends Error {
  override readonly name = 'VersionCidError'
  constructor (readonly field: string, value: string) {
    super(`${field} is not a CID ("${value.length > 80 ? `${value.slice(0, 80)}…` : value}").`)
  }
}

/** A history cursor that is not a version of the slot being read. */
export class HistoryCursorError extends Error {
  override readonly name = 'HistoryCursorError'
  readonly field = 'cursor'
  constructor (detail: string) {
    super(`cursor ${detail}; pass the next_cursor of the previous page of this slot's history.`)
  }
}
