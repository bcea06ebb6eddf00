/**
 * A block that a pin needs is not stored on this node, and the node cannot fetch it: it is offline
 * (no bitswap). A pin that named blocks we do not have would promise data we cannot serve.
 */
export class BlockMissingError extends Error {
  override readonly name = 'BlockMissingError'
  constructor (readonly cid: string, readonly root: string) {
    super(`Block ${cid}${cid === root ? '' : ` (part of the DAG of ${root})`} is not in this node's blockstore, and this node cannot fetch blocks from peers (it is offline), so ${root} cannot be pinned. ` +
      'Import the whole DAG (for example as a CAR file), or start the node online and connect to a peer that has it. Nothing was pinned.')
  }
}

/** rm was asked to unpin a CID that has no pin. */
export class NotPinnedError extends Error {
  override readonly name = 'NotPinnedError'
  constructor (readonly cid: string) {
    super(`${cid} is not pinned.`)
  }
}

/** A string given as a CID does not parse as one; `field` names the input it came from. */
export class InvalidCidError extends Error {
  override readonly name = 'InvalidCidError'
  constructor (readonly field: string, value: string, detail: string) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
    super(`${field} is not a valid CID ("${shown}": ${detail})`)
  }
}

/** A pin name that is not a short single-line label. */
export class InvalidPinNameError extends Error {
  override readonly name = 'InvalidPinNameError'
  readonly field = 'name'
  constructor (detail: string) {
    super(`name ${detail}`)
  }
}

/** addToken found no slot of the token on this node, so there is nothing to pin. */
export class TokenNotFoundError extends Error {
  override readonly name = 'TokenNotFoundError'
  constructor (readonly dataKey: string, readonly metaContractId?: string) {
    super(`This node has no metadata for data_key ${dataKey}${metaContractId === undefined ? '' : ` under meta contract "${metaContractId}"`}, so there is nothing to pin.`)
  }
}

/**
 * A table that names GC roots holds a value that is not a CID. GC cannot know what that row
 * protects, so it deletes nothing rather than guess.
 */
export class GcRootError extends Error {
  override readonly name = 'GcRootError'
  constructor (readonly table: string, readonly value: string) {
    super(`Garbage collection stopped: the ${table} table holds "${value}", which is not a CID, so the blocks it protects cannot be known. Nothing was deleted.`)
  }
}

/**
 * A block fetched from a peer for a pin does not hash to its CID (or is over the block size limit),
 * so it was not stored, and nothing was pinned.
 */
export class FetchedBlockInvalidError extends Error {
  override readonly name = 'FetchedBlockInvalidError'
  constructor (readonly cid: string, readonly root: string) {
    super(`The block a peer sent for ${cid}${cid === root ? '' : ` (part of the DAG of ${root})`} does not match that CID, so it was not stored and ${root} was not pinned.`)
  }
}

/** A pin would fetch more blocks from peers than one pin may; nothing was pinned. */
export class FetchLimitError extends Error {
  override readonly name = 'FetchLimitError'
  constructor (readonly root: string, readonly limit: number) {
    super(`Pinning ${root} would fetch more than ${limit} blocks from peers, the most one pin may fetch; it was stopped and nothing was pinned.`)
  }
}
