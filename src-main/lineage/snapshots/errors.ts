/** No meta contract is bound to the collection on this node: it has no tokenURI documents. */
export class SnapshotCollectionError extends Error {
  override readonly name = 'SnapshotCollectionError'
  constructor (readonly chainId: string, readonly tokenAddress: string) {
    super(`This node has no collection ${tokenAddress} on chain ${chainId} (no meta contract is bound to it), so there is nothing to snapshot.`)
  }
}

/** The collection is bound but none of its tokens has metadata under its contract yet. */
export class EmptyCollectionError extends Error {
  override readonly name = 'EmptyCollectionError'
  constructor (readonly chainId: string, readonly tokenAddress: string) {
    super(`Collection ${tokenAddress} on chain ${chainId} has no token with metadata yet: publish or import its tokens, then take the snapshot.`)
  }
}

/** More tokens than one snapshot may hold (MAX_SNAPSHOT_TOKENS). */
export class SnapshotTooLargeError extends Error {
  override readonly name = 'SnapshotTooLargeError'
  constructor (readonly tokens: number, readonly limit: number) {
    super(`The collection has ${tokens} tokens; a snapshot holds at most ${limit}.`)
  }
}

/** The formatter refused a token's slots (the gateway answers 500 for it): the snapshot stops, nothing is kept. */
export class SnapshotDocumentError extends Error {
  override readonly name = 'SnapshotDocumentError'
  constructor (readonly tokenId: string, detail: string) {
    super(`Token ${tokenId}'s metadata cannot be assembled (${detail}); fix that token, then take the snapshot again. Nothing was kept.`)
  }
}

/** A snapshot of this collection is already being taken. */
export class SnapshotBusyError extends Error {
  override readonly name = 'SnapshotBusyError'
  constructor (readonly chainId: string, readonly tokenAddress: string) {
    super(`A snapshot of ${tokenAddress} on chain ${chainId} is already being taken; wait for it, or cancel it with snapshot_cancel.`)
  }
}

/** No snapshot on this node has this root CID. */
export class SnapshotNotFoundError extends Error {
  override readonly name = 'SnapshotNotFoundError'
  constructor (readonly rootCid: string) {
    super(`No snapshot on this node has the root ${rootCid}; snapshot_ls lists them.`)
  }
}

/** An IPNS name of this node points at the snapshot: removing it would leave the name pointing at nothing. */
export class SnapshotNamedError extends Error {
  override readonly name = 'SnapshotNamedError'
  constructor (readonly rootCid: string, readonly ipnsName: string) {
    super(`The IPNS name ${ipnsName} points at the snapshot ${rootCid}; take a newer snapshot (the name moves to it) or point the name elsewhere with ipns_publish, then remove this one.`)
  }
}

/** The collection is hidden until minted: a snapshot would publish every token's metadata, minted or not. */
export class SnapshotHiddenCollectionError extends Error {
  override readonly name = 'SnapshotHiddenCollectionError'
  constructor (readonly chainId: string, readonly tokenAddress: string) {
    super(`${tokenAddress} on chain ${chainId} is hidden until minted: a snapshot would publish the metadata of tokens not minted yet. Unhide it first (lineage-node chain unhide).`)
  }
}
