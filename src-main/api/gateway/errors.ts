/** The public gateway listener could not listen where it was told (address in use or not this machine's). */
export class PublicGatewayListenError extends Error {
  override readonly name = 'PublicGatewayListenError'
  constructor (readonly address: string, reason: string) {
    super(`The public gateway cannot listen on ${address}: ${reason}`)
  }
}

/** A UnixFS path leads through a block this node does not hold (the gateway never asks the network). */
export class BlockNotHeldError extends Error {
  override readonly name = 'BlockNotHeldError'
  constructor (readonly cid: string) {
    super(`This node does not hold block ${cid}, which the path leads through; the gateway serves only blocks it holds.`)
  }
}

/** A UnixFS directory has no entry by that name, or the path goes on below a file. */
export class UnixfsEntryNotFoundError extends Error {
  override readonly name = 'UnixfsEntryNotFoundError'
}

/** A block on a UnixFS path is not the UnixFS (dag-pb) it claims: bytes that do not decode, or a shard the gateway will not read. */
export class NotUnixfsError extends Error {
  override readonly name = 'NotUnixfsError'
}

/** A UnixFS read would take more blocks than one gateway request may read (`MAX_UNIXFS_READS`). */
export class UnixfsReadLimitError extends Error {
  override readonly name = 'UnixfsReadLimitError'
}
