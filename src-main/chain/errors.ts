/** A chain endpoint setting or watch input that cannot be used; `field` names the input. */
export class InvalidChainInputError extends Error {
  override readonly name = 'InvalidChainInputError'
  constructor (readonly field: string, detail: string) {
    super(`${field} ${detail}`)
  }
}

/** No endpoint is configured for that chain id. */
export class ChainNotConfiguredError extends Error {
  override readonly name = 'ChainNotConfiguredError'
  constructor (readonly chainId: number) {
    super(`No endpoint is configured for chain ${chainId}. Set one with \`lineage-node chain set ${chainId} --http <url>\`.`)
  }
}

/** The endpoint answers for another chain than the one it is configured for. */
export class ChainIdMismatchError extends Error {
  override readonly name = 'ChainIdMismatchError'
  constructor (readonly expected: number, readonly actual: string) {
    super(`The endpoint for chain ${expected} answers eth_chainId ${actual}: it serves another chain. Check its URL.`)
  }
}

/** A chain's endpoint cannot be removed while collections on it are watched. */
export class ChainInUseError extends Error {
  override readonly name = 'ChainInUseError'
  constructor (readonly chainId: number, readonly watches: number) {
    super(`Chain ${chainId} has ${watches} watched collection${watches === 1 ? '' : 's'}. Unwatch them first (\`lineage-node chain unwatch\`).`)
  }
}

/** The collection is not watched on this node. */
export class WatchNotFoundError extends Error {
  override readonly name = 'WatchNotFoundError'
  constructor (readonly chainId: number, readonly address: string) {
    super(`Collection ${address} on chain ${chainId} is not watched. Watch it with \`lineage-node chain watch ${chainId} ${address}\`.`)
  }
}

/** The collection is already watched: unwatch it first, so nothing is silently reset. */
export class WatchExistsError extends Error {
  override readonly name = 'WatchExistsError'
  constructor (readonly chainId: number, readonly address: string) {
    super(`Collection ${address} on chain ${chainId} is already watched. Unwatch it first to watch it again from another block.`)
  }
}

/** The node watches as many collections as it may. */
export class TooManyWatchesError extends Error {
  override readonly name = 'TooManyWatchesError'
  constructor (readonly limit: number) {
    super(`This node already watches ${limit} collections, the most it may.`)
  }
}

/** The endpoint could not be reached, timed out, or answered with an HTTP error. */
export class ChainEndpointUnreachableError extends Error {
  override readonly name = 'ChainEndpointUnreachableError'
  constructor (readonly chainId: number, detail: string) {
    super(`The endpoint of chain ${chainId} could not be reached: ${detail}.`)
  }
}

/** The endpoint answered something that is not a valid JSON-RPC answer (malformed, too big, wrong shape). */
export class ChainEndpointResponseError extends Error {
  override readonly name = 'ChainEndpointResponseError'
  constructor (readonly chainId: number, detail: string) {
    super(`The endpoint of chain ${chainId} answered something unusable: ${detail}.`)
  }
}

/** The endpoint refused a call with a JSON-RPC error of its own (range too large, rate limit…). */
export class ChainEndpointRejectedError extends Error {
  override readonly name = 'ChainEndpointRejectedError'
  constructor (readonly chainId: number, readonly method: string, readonly rpcCode: number | undefined, readonly reason: string, readonly data?: string) {
    super(`The endpoint of chain ${chainId} refused ${method}${rpcCode === undefined ? '' : ` (code ${rpcCode})`}: ${reason}.`)
  }
}

/** No contract code at the address: nothing to watch, or not deployed yet. */
export class NoContractError extends Error {
  override readonly name = 'NoContractError'
  constructor (readonly chainId: number, readonly address: string, readonly block: number) {
    super(`There is no contract at ${address} on chain ${chainId} (block ${block}). Check the address and chain id.`)
  }
}

/** A token of a collection hidden until minted, not minted yet: its content is not public. */
export class TokenHiddenError extends Error {
  override readonly name = 'TokenHiddenError'
  constructor () {
    super('This token is hidden until it is minted: its metadata is not public yet.')
  }
}

/** The collection is not hidden until minted (chain_reveal_clear of a collection never hidden). */
export class RevealNotFoundError extends Error {
  override readonly name = 'RevealNotFoundError'
  constructor (readonly chainId: number, readonly address: string) {
    super(`Collection ${address} on chain ${chainId} is not hidden until minted.`)
  }
}
