/** The (public_key, nonce) pair was already used: the request is a replay or needs a fresh nonce. */
export class ReplayedTransactionError extends Error {
  override readonly name = 'ReplayedTransactionError'
  constructor (readonly existingHash: string) {
    super(`This key already used this nonce (transaction ${existingHash}). Sign the request again with a new nonce.`)
  }
}

/** The request names a meta contract the node does not have. */
export class UnknownMetaContractError extends Error {
  override readonly name = 'UnknownMetaContractError'
  constructor (readonly metaContractId: string) {
    super(`meta_contract_id: no meta contract "${metaContractId}" is deployed on this node.`)
  }
}

/** Metadata for a collection that no meta contract governs yet. */
export class CollectionNotBoundError extends Error {
  override readonly name = 'CollectionNotBoundError'
  constructor (readonly tokenKey: string) {
    super(`No meta contract governs this collection yet (token_key ${tokenKey}). Bind one first with a "contract" transaction.`)
  }
}

/** A metadata write names another contract than the one bound to the collection. */
export class MetaContractMismatchError extends Error {
  override readonly name = 'MetaContractMismatchError'
  constructor (readonly requested: string, readonly bound: string) {
    super(`meta_contract_id: this collection is governed by "${bound}", not "${requested}".`)
  }
}

/** Someone other than the binding's owner tried to rebind a collection. */
export class BindingOwnerError extends Error {
  override readonly name = 'BindingOwnerError'
  constructor (readonly owner: string) {
    super(`Only the key that bound this collection (${owner}) may bind another meta contract to it.`)
  }
}

/** clone names a source slot that does not exist, or mcdata that does not say which. */
export class CloneSourceError extends Error {
  override readonly name = 'CloneSourceError'
  constructor (detail: string) {
    super(`mcdata: ${detail}`)
  }
}

/** The engine is stopped. */
export class LineageStoppedError extends Error {
  override readonly name = 'LineageStoppedError'
  constructor () {
    super('The Lineage engine is stopped.')
  }
}

/**
 * A replicated transaction reuses the nonce of a different transaction of the same key: its
 * signer signed two transactions as one. Refused, so nodes may then hold different sets: the one
 * case convergence cannot cover, and one an honest signer (a fresh nonce per request) never causes.
 */
export class EquivocatingSignerError extends Error {
  override readonly name = 'EquivocatingSignerError'
  constructor (readonly publicKey: string, readonly nonce: string, readonly existingHash: string) {
    super(`The key ${publicKey} signed two different transactions with nonce ${nonce}; this node holds ${existingHash} and refuses the other.`)
  }
}

/** Too many dry runs (validate_metadata) of one meta contract are already waiting for it. */
export class DryRunBusyError extends Error {
  override readonly name = 'DryRunBusyError'
  constructor (readonly metaContractId: string, readonly limit: number) {
    super(`${limit} validations by meta contract "${metaContractId}" are already waiting for it; try again once they are answered.`)
  }
}
