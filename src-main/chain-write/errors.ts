/** An input of a chain write that cannot be used; `field` names it. */
export class InvalidChainWriteInputError extends Error {
  override readonly name = 'InvalidChainWriteInputError'
  constructor (readonly field: string, detail: string) {
    super(`${field} ${detail}`)
  }
}

/** The contract has none of the functions the node knows for this change. */
export class NoSetterError extends Error {
  override readonly name = 'NoSetterError'
  constructor (readonly chainId: number, readonly address: string, readonly action: string, readonly tried: readonly string[]) {
    super(`The contract ${address} on chain ${chainId} has no function to ${ACTION_WORDS[action] ?? action}: it has none of ${tried.join(', ')}. It cannot be changed from this app; if it has another setter, use your wallet or the contract's own tools.`)
  }
}

const ACTION_WORDS: Record<string, string> = {
  base_uri: 'set its baseURI',
  token_uri: 'set a token\'s URI',
  metadata_update: 'announce a metadata update (EIP-4906)',
}

/** The contract refuses the key: it is not the contract's owner (or lacks the role). */
export class NotContractOwnerError extends Error {
  override readonly name = 'NotContractOwnerError'
  constructor (readonly chainId: number, readonly address: string, readonly from: string, readonly detail: string) {
    super(`The contract ${address} on chain ${chainId} refuses ${from}: ${detail}. Only its owner can change it; sign with the key that owns the contract.`)
  }
}

/** The call reverts: the contract said no, with this reason. */
export class TransactionRevertedError extends Error {
  override readonly name = 'TransactionRevertedError'
  constructor (readonly reason: string) {
    super(`The contract refuses this change: ${reason}.`)
  }
}

/** The key's account cannot pay for the gas. */
export class InsufficientFundsError extends Error {
  override readonly name = 'InsufficientFundsError'
  constructor (readonly from: string, readonly neededWei: string, readonly balanceWei: string) {
    super(`The account ${from} has ${balanceWei} wei, and this transaction may cost up to ${neededWei} wei in gas. Send it some of the chain's currency first.`)
  }
}

/** Fees rose since the estimate the creator confirmed: nothing was sent. */
export class FeeRoseError extends Error {
  override readonly name = 'FeeRoseError'
  constructor (readonly confirmedWei: string, readonly nowWei: string) {
    super(`Gas now costs up to ${nowWei} wei, more than the ${confirmedWei} wei you confirmed. Nothing was sent: look at the new estimate and confirm again.`)
  }
}

/** No transaction sent from this node has that id or hash. */
export class ChainTxNotFoundError extends Error {
  override readonly name = 'ChainTxNotFoundError'
  constructor (readonly ref: string) {
    super(`No transaction sent from this node is ${ref}.`)
  }
}
