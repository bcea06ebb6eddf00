/** A sync message that breaks the protocol: malformed, oversized, or answering what was not asked. */
export class SyncProtocolError extends Error {
  override readonly name = 'SyncProtocolError'
  constructor (readonly peerId: string, why: string) {
    super(`Peer ${peerId} broke the sync protocol: ${why}`)
  }
}

/** A sync stream closed, reset or timed out before the sync ended: the peer is not cut off, and the next sync resumes. */
export class SyncInterruptedError extends Error {
  override readonly name = 'SyncInterruptedError'
  constructor (readonly peerId: string, why: string) {
    super(`The sync with peer ${peerId} stopped before it ended (${why}); what was stored stays, and the next sync asks only for the rest.`)
  }
}

/** A peer sent a transaction whose signature or fields do not check: it is cut off and nothing it sent in that page is stored. */
export class ForgedTransactionError extends Error {
  override readonly name = 'ForgedTransactionError'
  constructor (readonly peerId: string, why: string) {
    super(`Peer ${peerId} sent a transaction that does not check (${why}); nothing from that page was stored and the peer was disconnected.`)
  }
}

/** A collection given by chain and address that does not name one (bad chain id or address). */
export class InvalidCollectionError extends Error {
  override readonly name = 'InvalidCollectionError'
  constructor (why: string) {
    super(`Not a collection: ${why}`)
  }
}

/** The collection is not followed, so there is nothing to unfollow or sync. */
export class NotFollowedError extends Error {
  override readonly name = 'NotFollowedError'
  constructor (readonly tokenKey: string) {
    super(`This node does not follow collection ${tokenKey}.`)
  }
}

/** Replication used while the node is offline or stopped. */
export class ReplicationOfflineError extends Error {
  override readonly name = 'ReplicationOfflineError'
  constructor () {
    super('Replication needs the peer-to-peer host, and this node is offline. Start it without --offline.')
  }
}

/** A sync was cancelled. */
export class SyncCancelledError extends Error {
  override readonly name = 'SyncCancelledError'
  constructor () {
    super('The sync was cancelled.')
  }
}
