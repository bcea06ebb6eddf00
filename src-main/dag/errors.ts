/** A version block does not have the protocol's shape; `field` names the offending part. */
export class InvalidVersionBlockError extends Error {
  override readonly name = 'InvalidVersionBlockError'
  constructor (readonly field: string, readonly detail: string) {
    super(`Invalid version block: ${field} ${detail}`)
  }
}

/** A block that a walk needs is not in the blockstore. */
export class BlockNotFoundError extends Error {
  override readonly name = 'BlockNotFoundError'
  constructor (readonly cid: string) {
    super(`Block ${cid} is not in the blockstore.`)
  }
}

/** A CID uses a hash function this node cannot compute, so its block cannot be verified. */
export class UnsupportedHashError extends Error {
  override readonly name = 'UnsupportedHashError'
  /** Why this one block was not kept, for a report that goes on with the others. */
  readonly reason: string
  constructor (readonly cid: string, readonly code: number) {
    super(`Block ${cid} uses hash function 0x${code.toString(16)}, which Lineage cannot verify (supported: sha2-256, sha2-512, identity).`)
    this.reason = `it uses hash function 0x${code.toString(16)}, which Lineage cannot verify (supported: sha2-256, sha2-512, identity)`
  }
}

/** A block's links cannot be followed because its codec is unknown here. */
export class UnsupportedCodecError extends Error {
  override readonly name = 'UnsupportedCodecError'
  constructor (readonly cid: string, readonly code: number) {
    super(`Block ${cid} uses codec 0x${code.toString(16)}, whose links Lineage cannot follow (supported: dag-cbor, dag-pb, raw).`)
  }
}

/**
 * A block's bytes are not in the codec its CID names (blocks are stored by multihash, so a CID
 * with another codec can reach them), so its links cannot be read.
 */
export class UndecodableBlockError extends Error {
  override readonly name = 'UndecodableBlockError'
  constructor (readonly cid: string, codec: string) {
    super(`Block ${cid} is not valid ${codec}, the codec its CID names, so its links cannot be followed.`)
  }
}

/** The input is not a CAR file, or it is cut short or malformed. */
export class InvalidCarError extends Error {
  override readonly name = 'InvalidCarError'
  constructor (detail: string, options?: ErrorOptions) {
    super(`Not a valid CAR file: ${detail}`, options)
  }
}

/** A CAR block is larger than the import allows. */
export class CarBlockTooLargeError extends Error {
  override readonly name = 'CarBlockTooLargeError'
  /** Why this one block was not kept, for a report that goes on with the others. */
  readonly reason: string
  constructor (readonly cid: string | undefined, readonly size: number, readonly limit: number) {
    super(`The CAR file holds a block${cid === undefined ? '' : ` (${cid})`} of ${size} bytes, over the limit of ${limit} bytes. Nothing was imported.`)
    this.reason = `the block is ${size} bytes, over the limit of ${limit} bytes`
  }
}

/** A CAR block's bytes do not hash to its CID: the file is damaged or forged. */
export class CarBlockMismatchError extends Error {
  override readonly name = 'CarBlockMismatchError'
  readonly reason = 'its bytes do not match its CID (the file is damaged or forged)'
  constructor (readonly cid: string) {
    super(`The CAR file's block ${cid} does not match its CID (damaged or forged). Nothing was imported.`)
  }
}

/** The operation was cancelled through its AbortSignal. */
export class AbortError extends Error {
  override readonly name = 'AbortError'
  constructor (what: string) {
    super(`The ${what} was aborted.`)
  }
}
