/** No connected peer sent a wanted block before the fetch timeout (or there is no peer at all). */
export class BlockUnavailableError extends Error {
  override readonly name = 'BlockUnavailableError'
  constructor (readonly cid: string, timeoutMs: number, peers: number) {
    super(peers === 0
      ? `Block ${cid} is not on this node and no peer is connected to fetch it from. Connect to a peer that has it, then try again.`
      : `No connected peer (${peers} connected) sent block ${cid} within ${timeoutMs / 1000} s. Connect to a peer that has it, then try again.`)
  }
}

/**
 * A block received for a CID does not hash to it. Bitswap names blocks by hashing what arrives,
 * so this is a second check before anything is stored; nothing was stored.
 */
export class BlockMismatchError extends Error {
  override readonly name = 'BlockMismatchError'
  constructor (readonly cid: string) {
    super(`The block received for ${cid} does not hash to that CID; it was not stored.`)
  }
}

/** A block bigger than any IPFS implementation sends; it was not stored. */
export class BlockTooLargeError extends Error {
  override readonly name = 'BlockTooLargeError'
  constructor (readonly cid: string, bytes: number, limit: number) {
    super(`The block received for ${cid} is ${bytes} bytes, over the ${limit}-byte block limit; it was not stored.`)
  }
}

/** A CID whose hash function this node cannot compute, so a block for it could not be checked. */
export class UnsupportedHashFunctionError extends Error {
  override readonly name = 'UnsupportedHashFunctionError'
  constructor (readonly code: number) {
    super(`Blocks hashed with multihash function 0x${code.toString(16)} cannot be verified by this node (it checks sha2-256, sha2-512 and identity).`)
  }
}

/** want() or notify() on a bitswap service that is not running (offline node, or stopped). */
export class BitswapNotStartedError extends Error {
  override readonly name = 'BitswapNotStartedError'
  constructor () {
    super('Bitswap is not running (the node is offline or stopped), so blocks cannot be fetched from peers.')
  }
}

/** A routing lookup (a value, a peer's addresses) this node cannot answer: it has no DHT or delegated router. */
export class RoutingUnavailableError extends Error {
  override readonly name = 'RoutingUnavailableError'
  constructor (what: string) {
    super(`No router on this node can find ${what}: only connected peers are known.`)
  }
}

/** @helia/bitswap's mixin did not hand over a block broker: an incompatible version is installed. */
export class BitswapStartError extends Error {
  override readonly name = 'BitswapStartError'
  constructor () {
    super('@helia/bitswap did not register its block broker; the installed version does not work the way this node expects.')
  }
}

/** A block this node does not hold, read while it cannot fetch from peers (it is offline). */
export class BlockNotHeldError extends Error {
  override readonly name = 'BlockNotHeldError'
  constructor (readonly cid: string) {
    super(`Block ${cid} is not on this node, and this node is offline, so it cannot fetch it from peers. Import it (a CAR file), or start the node online and connect to a peer that has it.`)
  }
}

/** As many reads as allowed are fetching blocks from peers already. */
export class ReaderFetchesBusyError extends Error {
  override readonly name = 'ReaderFetchesBusyError'
  constructor (readonly limit: number) {
    super(`${limit} blocks are being fetched from peers for readers already; try again when one has arrived.`)
  }
}
