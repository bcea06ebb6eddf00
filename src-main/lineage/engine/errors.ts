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

/*
 * A meta contract's answer that breaks the engine's rules (contract-output.ts). These never reach
 * a client as errors: the transaction is rejected with the message as its receipt's reason, and
 * a dry run (validate_metadata) answers it as its reason. Nothing the answer asked for is written.
 */
const BROKEN_RULES = 'the meta contract\'s answer breaks this node\'s rules: '

/** The answer is not a MetaContractResult record. */
export class ContractResultError extends Error {
  override readonly name = 'ContractResultError'
  constructor (detail: string) {
    super(`${BROKEN_RULES}${detail}`)
  }
}

/** The answer writes more slots than one transaction may. */
export class TooManyWritesError extends Error {
  override readonly name = 'TooManyWritesError'
  constructor (readonly count: number, readonly limit: number) {
    super(`${BROKEN_RULES}it writes ${count} slots; one transaction may write at most ${limit}.`)
  }
}

/** A written slot's content is larger than a transaction's data may be. */
export class SlotContentTooLargeError extends Error {
  override readonly name = 'SlotContentTooLargeError'
  constructor (readonly slot: string, readonly bytes: number, readonly limit: number) {
    super(`${BROKEN_RULES}the content of ${slot} is ${bytes} bytes (UTF-8); a slot holds at most ${limit}.`)
  }
}

/** A written slot's content is not JSON that a version block can hold. */
export class SlotContentError extends Error {
  override readonly name = 'SlotContentError'
  constructor (readonly slot: string, detail: string) {
    super(`${BROKEN_RULES}the content of ${slot} ${detail}.`)
  }
}

/** A written slot's alias or version is too long, or holds a character slot names may not. */
export class SlotNameError extends Error {
  override readonly name = 'SlotNameError'
  constructor (readonly field: 'alias' | 'version', detail: string) {
    super(`${BROKEN_RULES}the ${field} ${detail}.`)
  }
}

/** A slot is written under a key that did not sign the transaction. */
export class UnattributedWriteError extends Error {
  override readonly name = 'UnattributedWriteError'
  constructor (readonly writer: string, readonly signer: string) {
    super(`${BROKEN_RULES}it writes a slot under the key ${writer}, which did not sign this transaction (${signer} did). A contract writes only under the signer's key.`)
  }
}

/** Too many dry runs (validate_metadata) of one meta contract are already waiting for it. */
export class DryRunBusyError extends Error {
  override readonly name = 'DryRunBusyError'
  constructor (readonly metaContractId: string, readonly limit: number) {
    super(`${limit} validations by meta contract "${metaContractId}" are already waiting for it; try again once they are answered.`)
  }
}
